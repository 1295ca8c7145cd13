// A finding: one reference-count bug with the path that shows it. Produced by the per-TU
// analysis, consumed by the reporters. Serialisable to JSON (worker processes send them back).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace krefcheck {

struct Location {
  std::string File;  // as given by the compile database (absolute or relative to cwd)
  unsigned Line = 0;
  unsigned Column = 0;
  bool operator<(const Location &O) const;
  bool operator==(const Location &O) const {
    return File == O.File && Line == O.Line && Column == O.Column;
  }
};

/// What a path step is, set where the step is made (the checker's notes, the analyzer's
/// condition, loop and call events), never recovered from its text. Its name is the JSON
/// "kind" and goes into the fingerprint.
enum class StepKind : unsigned char {
  Acquire,  // a reference is taken
  Release,  // a reference is dropped or handed to a consuming call
  Branch,   // a condition (assumed or known) decides the way
  Loop,     // entering, skipping or repeating a loop body
  Call,     // entering or returning from an inlined call
  Lost,     // the finding itself (the last step)
  Note,     // anything else (ownership moves, the reference goes unused...)
  /// A call that received (or returned) the reference, to a function whose definition the run
  /// did not see: no body in the TU, no rule, no summary. Not part of the fingerprint (it
  /// depends on which files the run has, not on the code).
  Unsummarised
};
const char *toString(StepKind K);
/// The kind named S (as toString writes it); false if S names none.
bool stepKindFromString(const std::string &S, StepKind &K);

struct PathStep {
  Location Loc;
  std::string Message;  // for people only: no layer reads it
  StepKind Kind = StepKind::Note;
  std::string Callee;  // Unsummarised: the function without a summary ("foo"); else ""
};

/// The lines of one file that a finding's path runs through (patch mode asks whether a change
/// lies on them).
struct TraversedFile {
  std::string File;             // as Location::File
  std::vector<unsigned> Lines;  // sorted: lines of the statements, jumps, taken conditions and
                                // labels the path executes
  /// Sorted (A, B): the path goes from a statement ending on line A straight on to the next
  /// statement of the same block, which starts on line B (A < B). Lines deleted at a position P
  /// of the new file (before its line P) lie on the path when A < P <= B.
  std::vector<std::pair<unsigned, unsigned>> Between;
  bool operator==(const TraversedFile &O) const {
    return File == O.File && Lines == O.Lines && Between == O.Between;
  }
};

/// The edit that fixes a finding, made by the analysis from the AST (analysis/FixBuilder) when
/// the fix is unambiguous: DeletedLines whole lines of File from StartLine on are replaced by
/// Text (whole lines, each ending in '\n'); with DeletedLines 0, Text is inserted before
/// StartLine. The edit carries the file text the unified diff needs, as the analysis read it
/// (lines without their '\n'): Original, the lines the edit was made on (the deleted lines, or
/// line StartLine for an insertion); Before, up to 3 lines before them; After, up to 3 lines
/// after them; FileLines and FinalNewline, the file's length and whether its last line ends in
/// '\n'. The diff writer (report/Fix) works from these alone. Not part of the fingerprint.
struct FixEdit {
  std::string Description;  // "Release 'np' with of_node_put() before returning"
  std::string File;         // as Location::File
  unsigned StartLine = 0;
  unsigned DeletedLines = 0;
  std::string Text;
  std::vector<std::string> Original;
  std::vector<std::string> Before;
  std::vector<std::string> After;
  unsigned FileLines = 0;
  bool FinalNewline = true;
  bool operator==(const FixEdit &O) const {
    return Description == O.Description && File == O.File && StartLine == O.StartLine &&
           DeletedLines == O.DeletedLines && Text == O.Text && Original == O.Original &&
           Before == O.Before && After == O.After && FileLines == O.FileLines &&
           FinalNewline == O.FinalNewline;
  }
};

struct Finding {
  std::string RuleId;   // krefcheck-leak, ...
  Location Loc;         // where it is reported
  std::string Message;  // the one-line warning text
  /// The message with its line numbers as "N" (made by the checker with the message): a
  /// baseline result whose key differs is "updated"; a finding that only moved is not.
  std::string MessageKey;
  std::string Function;  // enclosing function
  std::string Variable;  // the variable holding the reference ('' if none)
  std::string Api;       // acquiring API
  Location AcquireLoc;   // where the reference was acquired
  std::string Family;    // the reference's family in the rules ("device_node"; '' if unknown)
  std::string ReleaseFunction;  // what releases it (the family's release: "of_node_put")
  // A leak of a reference stored into a field of a struct declared in a header that nothing in
  // the file releases: that field ("<header>:<struct>.<field>"), so a run that knows a file
  // releasing it drops the finding (dropReleasedElsewhere); else "".
  std::string HeldField;
  std::vector<PathStep> Path;
  /// Every line the whole path traverses, sorted by file (not printed; in the JSON form).
  std::vector<TraversedFile> Traversed;
  /// The fix, when the analysis found an unambiguous one (krefcheck-leak, krefcheck-loop-leak).
  std::optional<FixEdit> Fix;

  bool operator<(const Finding &O) const;
};

void to_json(nlohmann::json &J, const Location &L);
void from_json(const nlohmann::json &J, Location &L);
void to_json(nlohmann::json &J, const PathStep &S);
void from_json(const nlohmann::json &J, PathStep &S);
void to_json(nlohmann::json &J, const TraversedFile &T);
void from_json(const nlohmann::json &J, TraversedFile &T);
void to_json(nlohmann::json &J, const FixEdit &E);
void from_json(const nlohmann::json &J, FixEdit &E);
void to_json(nlohmann::json &J, const Finding &F);
void from_json(const nlohmann::json &J, Finding &F);

/// The rule ids of ruleDocs() (docs/rules/<id>.md), ordered by id.
const std::vector<std::string> &allRuleIds();

}  // namespace krefcheck
