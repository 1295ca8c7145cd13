#include "report/Sarif.h"

#include "findings/RuleDocs.h"
#include "report/SourceText.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/SHA256.h"

#include <map>
#include <regex>

#include <nlohmann/json.hpp>

namespace krefcheck {

using ojson = nlohmann::ordered_json;

const char *toString(BaselineState S) {
  switch (S) {
  case BaselineState::New: return "new";
  case BaselineState::Unchanged: return "unchanged";
  case BaselineState::Updated: return "updated";
  case BaselineState::Absent: return "absent";
  case BaselineState::None: break;
  }
  return "";
}

// ---------------------------------------------------------------------------------------------
// URIs and paths

std::string uriEncodePath(const std::string &Path) {
  static const char *Hex = "0123456789ABCDEF";
  std::string Out;
  for (unsigned char C : Path) {
    if (std::isalnum(C) || C == '-' || C == '.' || C == '_' || C == '~' || C == '/') {
      Out += char(C);
    } else {
      Out += '%';
      Out += Hex[C >> 4];
      Out += Hex[C & 15];
    }
  }
  return Out;
}

std::string fileUri(const std::string &AbsPath, bool Directory) {
  std::string P = AbsPath;
  if (Directory && (P.empty() || P.back() != '/')) P += '/';
  return "file://" + uriEncodePath(P);
}

std::string relativeTo(const std::string &File, const std::string &Root) {
  if (Root.empty()) return "";
  std::string R = Root;
  if (R.back() != '/') R += '/';
  if (File.size() > R.size() && File.compare(0, R.size(), R) == 0) return File.substr(R.size());
  return "";
}

// ---------------------------------------------------------------------------------------------
// UTF-8

namespace {

/// Length of the well-formed UTF-8 sequence at S[I] (RFC 3629: no overlongs, no surrogates,
/// at most U+10FFFF), or 0 when the byte there does not start one.
size_t utf8SequenceAt(const std::string &S, size_t I) {
  unsigned char C = S[I];
  if (C < 0x80) return 1;
  size_t N;
  unsigned char Lo = 0x80, Hi = 0xBF;
  if (C >= 0xC2 && C <= 0xDF) N = 2;
  else if (C >= 0xE0 && C <= 0xEF) {
    N = 3;
    if (C == 0xE0) Lo = 0xA0;
    if (C == 0xED) Hi = 0x9F;
  } else if (C >= 0xF0 && C <= 0xF4) {
    N = 4;
    if (C == 0xF0) Lo = 0x90;
    if (C == 0xF4) Hi = 0x8F;
  } else return 0;
  if (I + N > S.size()) return 0;
  for (size_t K = 1; K < N; ++K) {
    unsigned char D = S[I + K];
    if (D < (K == 1 ? Lo : 0x80) || D > (K == 1 ? Hi : 0xBF)) return 0;
  }
  return N;
}

}  // namespace

bool isValidUtf8(const std::string &S) {
  for (size_t I = 0; I < S.size();) {
    size_t N = utf8SequenceAt(S, I);
    if (!N) return false;
    I += N;
  }
  return true;
}

std::string toValidUtf8(const std::string &S) {
  if (isValidUtf8(S)) return S;
  std::string Out;
  for (size_t I = 0; I < S.size();) {
    size_t N = utf8SequenceAt(S, I);
    if (N) {
      Out.append(S, I, N);
      I += N;
    } else {
      Out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
      ++I;
    }
  }
  return Out;
}

size_t utf16Length(const std::string &S) {
  size_t Units = 0;
  for (size_t I = 0; I < S.size();) {
    size_t N = utf8SequenceAt(S, I);
    Units += N == 4 ? 2 : 1;
    I += N ? N : 1;
  }
  return Units;
}

// ---------------------------------------------------------------------------------------------
// Fingerprints

std::string fingerprintOf(const Finding &F, const std::string &SrcRoot) {
  // Structured fields only: never a message, a note's text or a line number.
  std::string Rel = relativeTo(F.Loc.File, SrcRoot);
  std::string Key = std::string(FingerprintKey) + "\n" + F.RuleId + "\n" +
                    (Rel.empty() ? F.Loc.File : Rel) + "\n" + F.Function + "\n" + F.Api + "\n" +
                    F.Family + "\n" + F.Variable + "\n";
  for (const PathStep &S : F.Path)
    if (S.Kind != StepKind::Unsummarised) Key += std::string(toString(S.Kind)) + ",";
  llvm::SHA256 H;
  H.update(Key);
  std::array<uint8_t, 32> Digest = H.final();
  return llvm::toHex(llvm::ArrayRef<uint8_t>(Digest.data(), 16), /*LowerCase=*/true);
}

std::vector<std::string> fingerprintAll(const std::vector<Finding> &Fs,
                                        const std::string &SrcRoot) {
  std::vector<std::string> Out;
  std::map<std::string, unsigned> Seen;
  for (const Finding &F : Fs) {
    std::string Fp = fingerprintOf(F, SrcRoot);
    Out.push_back(Fp + ":" + std::to_string(++Seen[Fp]));
  }
  return Out;
}

std::string sarifMessage(const Finding &F) {
  if (F.Function.empty()) return F.Message;
  return F.Message + " in " + F.Function + "()";
}

// ---------------------------------------------------------------------------------------------
// The log

namespace {

const char *SchemaUri =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

struct NotificationKind {
  const char *Id, *Name, *Short, *Full, *Help;
};
// Descriptors of the toolExecutionNotifications (GitHub's upload checks want each one to have
// a full description and help, like the rules).
const NotificationKind Notifications[] = {
    {"krefcheck-analysis-failed", "AnalysisFailed", "A file could not be analysed",
     "A file could not be analysed (missing, does not parse, crashed the analysis or timed "
     "out); its findings are missing from this run.",
     "The notification names the file and the reason. Fix the cause (a missing file, a "
     "compile error, a crash, or a run longer than --tu-timeout) and run krefcheck again: the "
     "results of the other files are complete, this file's are missing."},
    {"krefcheck-output-truncated", "OutputTruncated", "The log was cut to fit GitHub's limits",
     "The log was cut to stay within the GitHub code scanning limits (25,000 results per run, "
     "10,000 thread flow locations per result, 10 MB); the notification says what was left "
     "out.",
     "The notification says how many results or path steps were left out. Run krefcheck with "
     "--format text to see every finding, or analyse fewer files per log (a file filter, "
     "--shard)."},
};
enum NotificationIndex { AnalysisFailed = 0, OutputTruncated = 1 };

std::string shellQuote(const std::string &A) {
  static const std::regex Plain("^[A-Za-z0-9_@%+=:,./-]+$");
  if (std::regex_match(A, Plain)) return A;
  std::string Out = "'";
  for (char C : A) {
    if (C == '\'') Out += "'\\''";
    else Out += C;
  }
  return Out + "'";
}

/// Converts a 1-based byte column into a 1-based UTF-16 column of the line made valid UTF-8
/// (a byte that is not UTF-8 is one U+FFFD, one unit).
unsigned utf16Column(const std::optional<std::string> &Line, unsigned ByteCol) {
  if (!Line || ByteCol == 0) return ByteCol;
  size_t Bytes = ByteCol - 1;
  unsigned Units = utf16Length(Line->substr(0, std::min(Bytes, Line->size())));
  if (Bytes > Line->size()) Units += Bytes - Line->size();
  return Units + 1;
}

/// Every string (and key) of J made valid UTF-8.
void makeValidUtf8(ojson &J) {
  if (J.is_string()) {
    std::string &S = J.get_ref<std::string &>();
    if (!isValidUtf8(S)) S = toValidUtf8(S);
  } else if (J.is_array()) {
    for (ojson &E : J) makeValidUtf8(E);
  } else if (J.is_object()) {
    bool KeysOk = true;
    for (auto It = J.begin(); It != J.end(); ++It) {
      KeysOk = KeysOk && isValidUtf8(It.key());
      makeValidUtf8(It.value());
    }
    if (!KeysOk) {
      ojson Fixed = ojson::object();
      for (auto It = J.begin(); It != J.end(); ++It) Fixed[toValidUtf8(It.key())] = It.value();
      J = std::move(Fixed);
    }
  }
}

}  // namespace

unsigned sarifColumn(const Location &L, SourceCache &Src) {
  return utf16Column(Src.line(L.File, L.Line), L.Column);
}

std::optional<std::string> sarifSnippet(const Location &L, SourceCache &Src) {
  std::optional<std::string> Text = Src.line(L.File, L.Line);
  if (!Text || !L.Column || L.Column - 1 > Text->size()) return std::nullopt;
  return Text->substr(L.Column - 1);
}

namespace {

class Writer {
public:
  Writer(const SarifOptions &O, SourceCache &Src) : O(O), Src(Src) {}

  ojson artifact(const std::string &File) const {
    std::string Rel = relativeTo(File, O.SrcRoot);
    if (!Rel.empty()) return ojson{{"uri", uriEncodePath(Rel)}, {"uriBaseId", "SRCROOT"}};
    return ojson{{"uri", fileUri(File)}};
  }

  ojson physical(const Location &L, bool Snippet = false) {
    ojson P;
    P["artifactLocation"] = artifact(L.File);
    if (L.Line) {
      ojson R{{"startLine", L.Line}};
      if (L.Column) R["startColumn"] = sarifColumn(L, Src);
      if (Snippet)
        if (std::optional<std::string> Sn = sarifSnippet(L, Src))
          R["snippet"] = ojson{{"text", *Sn}};
      P["region"] = R;
    }
    return P;
  }

  /// An artifactContent: the text, or (when it is not UTF-8, as a copied Latin-1 line) its
  /// bytes in base64, so that applying the fix keeps them.
  static ojson content(const std::string &Text) {
    if (isValidUtf8(Text)) return ojson{{"text", Text}};
    static const char *B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string Out;
    for (size_t I = 0; I < Text.size(); I += 3) {
      uint32_t V = uint32_t((unsigned char)Text[I]) << 16;
      if (I + 1 < Text.size()) V |= uint32_t((unsigned char)Text[I + 1]) << 8;
      if (I + 2 < Text.size()) V |= (unsigned char)Text[I + 2];
      Out += B64[(V >> 18) & 63];
      Out += B64[(V >> 12) & 63];
      Out += I + 1 < Text.size() ? B64[(V >> 6) & 63] : '=';
      Out += I + 2 < Text.size() ? B64[V & 63] : '=';
    }
    return ojson{{"binary", Out}};
  }

  static ojson kindsOf(StepKind K) {
    if (K == StepKind::Acquire) return ojson::array({"acquire", "resource"});
    if (K == StepKind::Release) return ojson::array({"release", "resource"});
    if (K == StepKind::Branch) return ojson::array({"branch"});
    if (K == StepKind::Loop) return ojson::array({"branch", "scope"});
    if (K == StepKind::Call) return ojson::array({"call"});
    if (K == StepKind::Lost) return ojson::array({"danger"});
    return ojson();
  }

  ojson result(const ReportedResult &R, size_t &TruncatedPaths) {
    const Finding &F = R.F;
    ojson J;
    J["ruleId"] = F.RuleId;
    const std::vector<std::string> &Ids = allRuleIds();
    auto It = std::find(Ids.begin(), Ids.end(), F.RuleId);
    if (It != Ids.end()) {
      J["ruleIndex"] = It - Ids.begin();
      J["level"] = ruleDocs()[It - Ids.begin()].Level;
    }
    J["message"] = ojson{{"text", sarifMessage(F)}};
    ojson Loc{{"physicalLocation", physical(F.Loc, /*Snippet=*/true)}};
    if (!F.Function.empty())
      Loc["logicalLocations"] = ojson::array({ojson{{"name", F.Function}, {"kind", "function"}}});
    J["locations"] = ojson::array({Loc});
    if (!F.AcquireLoc.File.empty() && F.AcquireLoc.Line) {
      std::string Text = F.Api.empty() ? "the reference is acquired here"
                                       : "reference acquired by " + F.Api + "()";
      J["relatedLocations"] = ojson::array({ojson{
          {"id", 1}, {"physicalLocation", physical(F.AcquireLoc)}, {"message", {{"text", Text}}}}});
    }
    // One code flow with one thread flow: the path, each step with its message.
    std::vector<PathStep> Steps = F.Path;
    if (Steps.empty()) Steps.push_back(PathStep{F.Loc, F.Message, StepKind::Lost, ""});
    if (Steps.size() > O.MaxThreadFlowLocations && O.MaxThreadFlowLocations >= 2) {
      PathStep Last = Steps.back();
      Steps.resize(O.MaxThreadFlowLocations - 1);
      Steps.push_back(Last);
      ++TruncatedPaths;
    }
    ojson TFL = ojson::array();
    for (const PathStep &S : Steps) {
      ojson L{{"location",
               {{"physicalLocation", physical(S.Loc)}, {"message", {{"text", S.Message}}}}}};
      ojson K = kindsOf(S.Kind);
      if (!K.is_null()) L["kinds"] = K;
      TFL.push_back(L);
    }
    J["codeFlows"] =
        ojson::array({ojson{{"threadFlows", ojson::array({ojson{{"locations", TFL}}})}}});
    J["partialFingerprints"] = ojson{{FingerprintKey, R.Fingerprint}};
    // What a later run's baseline compares for "updated" (the message, line numbers as N).
    J["properties"] = ojson{{MessageKeyProperty, toValidUtf8(F.MessageKey)}};
    if (R.State != BaselineState::None) J["baselineState"] = toString(R.State);
    if (R.Justification)
      J["suppressions"] =
          ojson::array({ojson{{"kind", "external"}, {"justification", *R.Justification}}});
    if (R.Fix) {
      const FixEdit &Fx = *R.Fix;
      // Whole lines: from the start of StartLine to the start of the first line kept.
      ojson Region{{"startLine", Fx.StartLine},
                   {"startColumn", 1},
                   {"endLine", Fx.StartLine + Fx.DeletedLines},
                   {"endColumn", 1}};
      ojson Change{{"artifactLocation", artifact(Fx.File)},
                   {"replacements", ojson::array({ojson{{"deletedRegion", Region},
                                                        {"insertedContent", content(Fx.Text)}}})}};
      J["fixes"] = ojson::array({ojson{{"description", {{"text", Fx.Description}}},
                                       {"artifactChanges", ojson::array({Change})}}});
    }
    return J;
  }

  ojson rules() const {
    ojson Out = ojson::array();
    // docs/rules/<id>.md, compiled in; its relative links point into O.DocBaseUri.
    for (const RuleDoc &R : ruleDocs()) {
      Out.push_back(ojson{
          {"id", R.Id},
          {"name", R.Name},
          {"shortDescription", {{"text", R.Short}}},
          {"fullDescription", {{"text", resolveDocLinks(R.Full, O.DocBaseUri)}}},
          {"help",
           {{"text", resolveDocLinks(R.HelpText, O.DocBaseUri)},
            {"markdown", resolveDocLinks(R.HelpMarkdown, O.DocBaseUri)}}},
          {"helpUri", O.DocBaseUri + "docs/rules/" + R.Id + ".md"},
          {"defaultConfiguration", {{"level", R.Level}}},
          {"properties",
           {{"tags", R.Tags}, {"precision", R.Precision}, {"problem.severity", R.Level}}},
      });
    }
    return Out;
  }

  ojson notification(NotificationIndex I, const std::string &Level, const std::string &Text,
                     const std::string &File = "") const {
    ojson N{{"level", Level},
            {"message", {{"text", Text}}},
            {"descriptor", {{"id", Notifications[I].Id}, {"index", int(I)}}}};
    if (!File.empty())
      N["locations"] =
          ojson::array({ojson{{"physicalLocation", {{"artifactLocation", artifact(File)}}}}});
    return N;
  }

  std::string write(const SarifRun &Run) {
    size_t TruncatedPaths = 0;
    std::vector<ojson> Results;
    for (const ReportedResult &R : Run.Results) Results.push_back(result(R, TruncatedPaths));
    for (const std::string &A : Run.AbsentJson) {
      ojson J = ojson::parse(A, nullptr, /*allow_exceptions=*/false);
      if (!J.is_object()) continue;
      J["baselineState"] = "absent";
      J.erase("ruleIndex");
      J.erase("fixes");
      if (J.contains("ruleId") && J["ruleId"].is_string()) {
        const std::vector<std::string> &Ids = allRuleIds();
        auto It = std::find(Ids.begin(), Ids.end(), J["ruleId"].get<std::string>());
        if (It != Ids.end()) J["ruleIndex"] = It - Ids.begin();
      }
      Results.push_back(std::move(J));
    }
    const size_t Total = Results.size();
    size_t Keep = std::min(Total, O.MaxResults);

    ojson Driver{{"name", "krefcheck"},
                 {"version", KREFCHECK_VERSION},
                 {"semanticVersion", KREFCHECK_VERSION},
                 {"informationUri", O.DocBaseUri + "README.md"},
                 {"rules", rules()}};
    ojson Descs = ojson::array();
    for (const NotificationKind &N : Notifications)
      Descs.push_back(ojson{{"id", N.Id},
                            {"name", N.Name},
                            {"shortDescription", {{"text", N.Short}}},
                            {"fullDescription", {{"text", N.Full}}},
                            {"help", {{"text", N.Help}, {"markdown", N.Help}}},
                            {"helpUri", O.DocBaseUri + "README.md"}});
    Driver["notifications"] = Descs;

    std::string Cmd;
    ojson Args = ojson::array();
    for (size_t I = 0; I < O.Argv.size(); ++I) {
      Cmd += (I ? " " : "") + shellQuote(O.Argv[I]);
      if (I) Args.push_back(O.Argv[I]);
    }

    // Built as a whole and measured: results are dropped from the end until it fits, then (if
    // the failed-file notifications alone are too big) those notifications.
    const size_t TotalFailures = Run.Failures.size();
    size_t KeepFailures = TotalFailures;
    std::string Text;
    for (int Round = 0;; ++Round) {
      Truncation.clear();
      ojson Notes = ojson::array();
      for (size_t I = 0; I < KeepFailures; ++I) {
        const ToolFailure &F = Run.Failures[I];
        std::string Shown =
            F.File.empty()
                ? ""
                : (relativeTo(F.File, O.SrcRoot).empty() ? F.File : relativeTo(F.File, O.SrcRoot));
        Notes.push_back(notification(AnalysisFailed, "error",
                                     Shown.empty() ? F.Reason : Shown + ": " + F.Reason, F.File));
      }
      if (TruncatedPaths)
        Truncation.push_back(std::to_string(TruncatedPaths) + " result path(s) were cut to " +
                             std::to_string(O.MaxThreadFlowLocations) +
                             " thread flow locations (GitHub code scanning limit); the last step "
                             "is kept.");
      if (Keep < Total)
        Truncation.push_back(
            "output truncated: " + std::to_string(Keep) + " of " + std::to_string(Total) +
            " results kept to stay within the GitHub code scanning limits (" +
            std::to_string(O.MaxResults) + " results, " + std::to_string(O.MaxBytes) +
            " bytes); the other " + std::to_string(Total - Keep) +
            " are left out (run with --format text to see them all).");
      if (KeepFailures < TotalFailures)
        Truncation.push_back(
            "output truncated: " + std::to_string(KeepFailures) + " of " +
            std::to_string(TotalFailures) + " failed-file notifications kept to stay within " +
            std::to_string(O.MaxBytes) + " bytes; stderr lists every failed file.");
      for (const std::string &T : Truncation)
        Notes.push_back(notification(OutputTruncated, "warning", T));

      ojson Inv{{"executionSuccessful", Run.Failures.empty()},
                {"commandLine", Cmd},
                {"arguments", Args},
                {"workingDirectory", {{"uri", fileUri(O.WorkingDirectory, true)}}},
                {"toolExecutionNotifications", Notes}};
      ojson RunJ;
      RunJ["tool"] = ojson{{"driver", Driver}};
      RunJ["invocations"] = ojson::array({Inv});
      RunJ["originalUriBaseIds"] =
          ojson{{"SRCROOT",
                 {{"uri", fileUri(O.SrcRoot, true)}, {"description", {{"text", "--srcroot"}}}}}};
      RunJ["columnKind"] = "utf16CodeUnits";
      ojson Res = ojson::array();
      for (size_t I = 0; I < Keep; ++I) Res.push_back(Results[I]);
      RunJ["results"] = std::move(Res);
      ojson Log{{"$schema", SchemaUri}, {"version", "2.1.0"}, {"runs", ojson::array({RunJ})}};
      makeValidUtf8(Log);  // file names, --srcroot, source lines may hold Latin-1 bytes
      Text = Log.dump(1, ' ', false, ojson::error_handler_t::replace) + "\n";
      if (Text.size() <= O.MaxBytes || (Keep == 0 && KeepFailures == 0)) break;
      // Drop about as many results (then notifications) as the excess needs, and one more;
      // after many rounds, all of them (the log then surely fits).
      size_t Excess = Text.size() - O.MaxBytes;
      size_t &N = Keep ? Keep : KeepFailures;
      size_t Avg = std::max<size_t>(1, Text.size() / std::max<size_t>(1, N));
      N -= Round > 64 ? N : std::min(N, Excess / Avg + 1);
    }
    return Text;
  }

  /// What the last write() cut (the texts of its output-truncated notifications).
  std::vector<std::string> Truncation;

private:
  const SarifOptions &O;
  SourceCache &Src;
};

}  // namespace

std::string writeSarif(const SarifRun &Run, const SarifOptions &Opts,
                       std::vector<std::string> *Truncation) {
  SourceCache Src;
  Writer W(Opts, Src);
  std::string Text = W.write(Run);
  if (Truncation) *Truncation = W.Truncation;
  return Text;
}

}  // namespace krefcheck
