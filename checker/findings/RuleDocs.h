// The rule table: each rule's id, SARIF metadata and help, compiled in from docs/rules/<id>.md
// (scripts/gen_rule_docs.py runs at build time; the binary never reads the docs).
#pragma once

#include <string>
#include <vector>

namespace krefcheck {

/// One rule as documented in docs/rules/<Id>.md. Short is the front matter's `short`, Full the
/// description (the text between the title and the first heading) as plain text, HelpMarkdown
/// the page after its title and HelpText the same as plain text. Relative links of the page are
/// written as DocBaseMarker + a path from the documentation root ("docs/rules-format.md"),
/// for the SARIF writer to complete (resolveDocLinks).
struct RuleDoc {
  std::string Id, Name, Short, Full, HelpText, HelpMarkdown, Level, Precision;
  std::vector<std::string> Tags;
};

/// Every rule, ordered by id.
const std::vector<RuleDoc> &ruleDocs();

/// The doc-link marker of RuleDoc texts (scripts/gen_rule_docs.py writes the same).
constexpr const char *DocBaseMarker = "krefcheck-doc-base:";

/// Text with every DocBaseMarker replaced by DocBaseUri (the URI of the documentation root,
/// ending in '/').
std::string resolveDocLinks(const std::string &Text, const std::string &DocBaseUri);

}  // namespace krefcheck
