// Baselines (--baseline old.sarif: which results are new, unchanged, updated or gone) and
// suppressions (--suppressions FILE: results accepted with a justification). Both match on
// the line-shift-proof fingerprints of report/Sarif.h.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "report/Sarif.h"

namespace krefcheck {

class SourceCache;

struct BaselineResult {
  std::string Fingerprint;
  std::string MessageKey;              // properties["krefcheck/messageKey"] ('' if none)
  unsigned Column = 0;                 // region.startColumn of the first location
  std::optional<std::string> Snippet;  // region.snippet.text
  std::string Json;                    // the result as it was (for "absent")
};

struct Baseline {
  std::string Path;
  std::vector<BaselineResult> Results;  // in file order
};

/// Reads a SARIF log written by krefcheck (results of its first run; results that were
/// already "absent" there are skipped). On error: false and one line in Error.
bool loadBaseline(const std::string &Path, Baseline &B, std::string &Error);

/// Sets State on every result (new / unchanged / updated) and returns the baseline results
/// not seen in this run (their JSON, for baselineState "absent"). "updated": same fingerprint,
/// but the message key (Finding::MessageKey: the message, line numbers aside) or the reported
/// statement (column and text from it on) changed; a finding that only moved by some lines is
/// "unchanged".
std::vector<std::string> applyBaseline(std::vector<ReportedResult> &Results, const Baseline &B,
                                       SourceCache &Src);

struct SuppressionEntry {
  std::string Fingerprint;  // "hash" (every occurrence) or "hash:N"
  std::string Rule, File, Function;
  std::string Justification;
};

struct Suppressions {
  std::string Path;
  std::vector<SuppressionEntry> Entries;
};

/// Reads a suppressions file: a JSON list of {"fingerprint", "justification"} or
/// {"rule"?, "file"?, "function"?, "justification"} objects. On error: false and one line
/// naming the file and the entry.
bool loadSuppressions(const std::string &Path, Suppressions &S, std::string &Error);

/// The justification of the first entry matching the result, if any. File matches the path
/// relative to SrcRoot, the absolute path, or a trailing part of it ("acme/foo.c").
std::optional<std::string> matchSuppression(const Suppressions &S, const ReportedResult &R,
                                            const std::string &SrcRoot);

}  // namespace krefcheck
