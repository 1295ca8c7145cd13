// Where the binary finds what it ships with, from its own path only (no source or build path
// is compiled in): in a build tree, build/rules is a link to the source tree's rules/ and the
// docs are beside its target; installed, <prefix>/bin/krefcheck finds
// <prefix>/share/krefcheck/rules (rules/Rules.cpp, defaultRulesDir) and
// <prefix>/share/doc/krefcheck/{README.md,docs/}.
#pragma once

#include <string>

namespace krefcheck {

/// The default --doc-base-uri (ends in '/'): file:// URI of the directory holding README.md
/// and docs/ for this binary.
std::string defaultDocBaseUri(const char *Argv0);

}  // namespace krefcheck
