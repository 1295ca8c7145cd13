#include "report/Baseline.h"

#include "report/SourceText.h"
#include "support/InputFile.h"

#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

namespace krefcheck {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;

/// nlohmann's parse error without its "[json.exception.parse_error.101] " prefix.
static std::string parseError(const std::exception &E) {
  std::string W = E.what();
  size_t P = W.find("] ");
  return P == std::string::npos ? W : W.substr(P + 2);
}

// ---------------------------------------------------------------------------------------------
// Baseline

bool loadBaseline(const std::string &Path, Baseline &B, std::string &Error) {
  B.Path = Path;
  std::string Text;
  std::string Why;
  if (!readInputFile(Path, Text, Why)) {
    Error = Path + ": cannot read baseline: " + Why;
    return false;
  }
  ojson J;
  try {
    if (Text.find('\0') != std::string::npos) throw std::runtime_error("contains a NUL byte");
    J = ojson::parse(Text);
  } catch (const std::exception &E) {
    Error = Path + ": malformed baseline (not JSON: " + parseError(E) + ")";
    return false;
  }
  auto Bad = [&](const std::string &What) {
    Error = Path + ": malformed baseline: " + What;
    return false;
  };
  if (!J.is_object() || !J.contains("runs") || !J["runs"].is_array())
    return Bad("no \"runs\" array");
  if (J["runs"].empty()) return true;
  const ojson &Run = J["runs"][0];
  if (!Run.is_object()) return Bad("runs[0] is not an object");
  if (!Run.contains("results")) return true;
  if (!Run["results"].is_array()) return Bad("runs[0].results is not an array");
  size_t I = 0;
  for (const ojson &R : Run["results"]) {
    std::string Where = "runs[0].results[" + std::to_string(I++) + "]";
    if (!R.is_object()) return Bad(Where + " is not an object");
    if (R.contains("baselineState") && R["baselineState"] == "absent") continue;
    const ojson *Fp = nullptr;
    bool HasFps = R.contains("partialFingerprints") && R["partialFingerprints"].is_object();
    if (HasFps && R["partialFingerprints"].contains(FingerprintKey))
      Fp = &R["partialFingerprints"][FingerprintKey];
    if (!Fp && HasFps && R["partialFingerprints"].contains(OldFingerprintKey)) {
      // Fingerprints are not comparable across versions (v1 hashed kinds read from the
      // notes' wording): matching would call every finding new and every old one absent.
      Error = Path + ": baseline written by an older krefcheck (fingerprint \"" +
              OldFingerprintKey + "\", this version writes \"" + FingerprintKey +
              "\"): re-create it with this version";
      return false;
    }
    if (!Fp || !Fp->is_string())
      return Bad(Where + " has no partialFingerprints \"" + FingerprintKey +
                 "\" (not written by krefcheck?)");
    BaselineResult BR;
    BR.Fingerprint = Fp->get<std::string>();
    if (R.contains("properties") && R["properties"].is_object() &&
        R["properties"].contains(MessageKeyProperty) &&
        R["properties"][MessageKeyProperty].is_string())
      BR.MessageKey = R["properties"][MessageKeyProperty].get<std::string>();
    const ojson *Region = nullptr;
    if (R.contains("locations") && R["locations"].is_array() && !R["locations"].empty()) {
      const ojson &L = R["locations"][0];
      if (L.is_object() && L.contains("physicalLocation") && L["physicalLocation"].is_object() &&
          L["physicalLocation"].contains("region") && L["physicalLocation"]["region"].is_object())
        Region = &L["physicalLocation"]["region"];
    }
    if (Region) {
      if (Region->contains("startColumn") && (*Region)["startColumn"].is_number_unsigned())
        BR.Column = (*Region)["startColumn"].get<unsigned>();
      if (Region->contains("snippet") && (*Region)["snippet"].is_object() &&
          (*Region)["snippet"].contains("text") && (*Region)["snippet"]["text"].is_string())
        BR.Snippet = (*Region)["snippet"]["text"].get<std::string>();
    }
    BR.Json = R.dump();
    B.Results.push_back(std::move(BR));
  }
  return true;
}

std::vector<std::string> applyBaseline(std::vector<ReportedResult> &Results, const Baseline &B,
                                       SourceCache &Src) {
  std::map<std::string, const BaselineResult *> ByFp;
  for (const BaselineResult &R : B.Results) ByFp.emplace(R.Fingerprint, &R);
  std::set<std::string> Seen;
  for (ReportedResult &R : Results) {
    auto It = ByFp.find(R.Fingerprint);
    if (It == ByFp.end()) {
      R.State = BaselineState::New;
      continue;
    }
    Seen.insert(R.Fingerprint);
    const BaselineResult &Old = *It->second;
    bool Same = Old.MessageKey.empty() || Old.MessageKey == toValidUtf8(R.F.MessageKey);
    if (Old.Column && Old.Column != sarifColumn(R.F.Loc, Src)) Same = false;
    std::optional<std::string> Snip = sarifSnippet(R.F.Loc, Src);
    if (Old.Snippet && Snip && *Old.Snippet != *Snip) Same = false;
    R.State = Same ? BaselineState::Unchanged : BaselineState::Updated;
  }
  std::vector<std::string> Absent;
  for (const BaselineResult &R : B.Results)
    if (!Seen.count(R.Fingerprint)) Absent.push_back(R.Json);
  return Absent;
}

// ---------------------------------------------------------------------------------------------
// Suppressions

bool loadSuppressions(const std::string &Path, Suppressions &S, std::string &Error) {
  S.Path = Path;
  std::string Text;
  std::string Why;
  if (!readInputFile(Path, Text, Why)) {
    Error = Path + ": cannot read suppressions file: " + Why;
    return false;
  }
  json J;
  try {
    if (Text.find('\0') != std::string::npos) throw std::runtime_error("contains a NUL byte");
    J = json::parse(Text);
  } catch (const std::exception &E) {
    Error = Path + ": malformed suppressions file (not JSON: " + parseError(E) + ")";
    return false;
  }
  if (!J.is_array()) {
    Error = Path + ": malformed suppressions file: expected a JSON list of entries";
    return false;
  }
  const std::vector<std::string> &Ids = allRuleIds();
  for (size_t I = 0; I < J.size(); ++I) {
    const json &E = J[I];
    std::string Where = Path + ": entry " + std::to_string(I);
    auto Bad = [&](const std::string &What) {
      Error = Where + ": " + What;
      return false;
    };
    if (!E.is_object()) return Bad("not an object");
    SuppressionEntry SE;
    for (auto It = E.begin(); It != E.end(); ++It) {
      static const std::set<std::string> Keys = {"fingerprint", "rule", "file", "function",
                                                 "justification"};
      if (!Keys.count(It.key())) return Bad("unknown field '" + It.key() + "'");
      if (!It.value().is_string()) return Bad("field '" + It.key() + "': expected a string");
      if (It.value().get<std::string>().empty()) return Bad("field '" + It.key() + "' is empty");
    }
    auto Get = [&](const char *K) { return E.contains(K) ? E[K].get<std::string>() : ""; };
    SE.Fingerprint = Get("fingerprint");
    SE.Rule = Get("rule");
    SE.File = Get("file");
    SE.Function = Get("function");
    SE.Justification = Get("justification");
    if (SE.Justification.empty()) return Bad("missing \"justification\"");
    if (SE.Fingerprint.empty() && SE.Rule.empty() && SE.File.empty() && SE.Function.empty())
      return Bad("needs \"fingerprint\", or \"rule\", \"file\" and/or \"function\"");
    if (!SE.Fingerprint.empty() && !(SE.Rule.empty() && SE.File.empty() && SE.Function.empty()))
      return Bad("\"fingerprint\" cannot be combined with \"rule\", \"file\" or \"function\"");
    if (!SE.Rule.empty() && std::find(Ids.begin(), Ids.end(), SE.Rule) == Ids.end())
      return Bad("field 'rule': unknown rule id '" + SE.Rule + "'");
    S.Entries.push_back(std::move(SE));
  }
  return true;
}

std::optional<std::string> matchSuppression(const Suppressions &S, const ReportedResult &R,
                                            const std::string &SrcRoot) {
  const Finding &F = R.F;
  for (const SuppressionEntry &E : S.Entries) {
    if (!E.Fingerprint.empty()) {
      std::string Hash = R.Fingerprint.substr(0, R.Fingerprint.find(':'));
      if (E.Fingerprint == R.Fingerprint || E.Fingerprint == Hash) return E.Justification;
      continue;
    }
    if (!E.Rule.empty() && E.Rule != F.RuleId) continue;
    if (!E.Function.empty() && E.Function != F.Function) continue;
    if (!E.File.empty()) {
      const std::string &Abs = F.Loc.File;
      bool Ok = E.File == Abs || E.File == relativeTo(Abs, SrcRoot) ||
                (Abs.size() > E.File.size() &&
                 Abs.compare(Abs.size() - E.File.size(), E.File.size(), E.File) == 0 &&
                 Abs[Abs.size() - E.File.size() - 1] == '/');
      if (!Ok) continue;
    }
    return E.Justification;
  }
  return std::nullopt;
}

}  // namespace krefcheck
