// SARIF 2.1.0 output (one run), the result model shared by the SARIF writer, baselines,
// suppressions and fix suggestions, and the line-shift-proof fingerprints that tie them.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "findings/Finding.h"

namespace krefcheck {

class SourceCache;

enum class BaselineState { None, New, Unchanged, Updated, Absent };
const char *toString(BaselineState S);

/// One finding as reported: its fingerprint, how it compares with the baseline, whether a
/// suppression covers it and its fix (the finding's, when fixes are asked for).
struct ReportedResult {
  Finding F;
  std::string Fingerprint;  // partialFingerprints[FingerprintKey]
  BaselineState State = BaselineState::None;
  std::optional<std::string> Justification;  // set when suppressed
  std::optional<FixEdit> Fix;
  bool suppressed() const { return Justification.has_value(); }
};

/// A file that was not analysed (failed TU, unusable database entry).
struct ToolFailure {
  std::string File;  // absolute, or empty when the entry has no usable file
  std::string Reason;
};

struct SarifOptions {
  std::string SrcRoot;     // absolute directory; results below it get uriBaseId SRCROOT
  std::string DocBaseUri;  // URI of the documentation root (ends in '/'): README.md, docs/...
  std::vector<std::string> Argv;  // the command line, argv[0] first
  std::string WorkingDirectory;   // absolute
  // GitHub code scanning limits (https://docs.github.com/en/code-security/code-scanning/
  // integrating-with-code-scanning/sarif-support-for-code-scanning#validating-your-sarif-file).
  size_t MaxResults = 25000;
  size_t MaxThreadFlowLocations = 10000;
  size_t MaxBytes = 10u * 1000u * 1000u;
};

/// The run as a whole. Results are in report order (database order, then per TU).
struct SarifRun {
  std::vector<ReportedResult> Results;  // already filtered (--only-new)
  std::vector<std::string> AbsentJson;  // baseline results missing now (serialised results)
  std::vector<ToolFailure> Failures;
};

/// The SARIF log as text (pretty-printed, ends in '\n'). Deterministic for equal inputs.
/// Truncation (if given) gets the text of each output-truncated notification of the log: what
/// was cut to stay within the limits, for stderr to say the same.
std::string writeSarif(const SarifRun &Run, const SarifOptions &Opts,
                       std::vector<std::string> *Truncation = nullptr);

/// file:// URI of an absolute path (percent-encoded); a directory URI ends in '/'.
std::string fileUri(const std::string &AbsPath, bool Directory = false);
/// Path of File relative to Root ("drivers/of/base.c"), or "" when File is not below Root.
std::string relativeTo(const std::string &File, const std::string &Root);
/// Percent-encodes a relative path for use as a URI reference.
std::string uriEncodePath(const std::string &Path);

/// Text as valid UTF-8: each byte that does not start a well-formed UTF-8 sequence becomes
/// U+FFFD (kernel sources and file names may hold Latin-1 bytes; JSON and SARIF need UTF-8).
std::string toValidUtf8(const std::string &S);
bool isValidUtf8(const std::string &S);
/// UTF-16 code units of S once made valid UTF-8 (as toValidUtf8 would).
size_t utf16Length(const std::string &S);

/// The partialFingerprints key of krefcheck's fingerprints. v1 (krefcheck before issue 11)
/// hashed step kinds recovered from the notes' wording; a v1 baseline is refused with a
/// message to re-create it (see loadBaseline).
constexpr const char *FingerprintKey = "krefcheck/v2";
constexpr const char *OldFingerprintKey = "krefcheck/v1";
/// result.properties key of Finding::MessageKey.
constexpr const char *MessageKeyProperty = "krefcheck/messageKey";

/// The fingerprint of a finding: rule, file (relative to SrcRoot when below it), function,
/// acquiring API, family, variable and the sequence of path step kinds: structured fields
/// only, never message or note text and no line numbers (code that moves, or a reworded
/// message, keeps its fingerprint).
std::string fingerprintOf(const Finding &F, const std::string &SrcRoot);

/// Fingerprints for a run, with ":N" occurrence numbers so equal findings stay distinct.
std::vector<std::string> fingerprintAll(const std::vector<Finding> &Fs, const std::string &SrcRoot);

/// region.startColumn of a location (UTF-16 code units when the line can be read).
unsigned sarifColumn(const Location &L, SourceCache &Src);
/// region.snippet of a result's location: its line from the column on (nullopt if unreadable).
std::optional<std::string> sarifSnippet(const Location &L, SourceCache &Src);

/// The SARIF message of a result: the finding's message and the function it is in.
std::string sarifMessage(const Finding &F);

}  // namespace krefcheck
