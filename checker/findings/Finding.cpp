#include "findings/Finding.h"
#include "findings/RuleDocs.h"

#include <iterator>
#include <stdexcept>
#include <tuple>

#include <nlohmann/json.hpp>

namespace krefcheck {

bool Location::operator<(const Location &O) const {
  return std::tie(File, Line, Column) < std::tie(O.File, O.Line, O.Column);
}

bool Finding::operator<(const Finding &O) const {
  return std::tie(Loc, RuleId, Variable, AcquireLoc, Message) <
         std::tie(O.Loc, O.RuleId, O.Variable, O.AcquireLoc, O.Message);
}

void to_json(nlohmann::json &J, const Location &L) {
  J = nlohmann::json{{"file", L.File}, {"line", L.Line}, {"column", L.Column}};
}
void from_json(const nlohmann::json &J, Location &L) {
  J.at("file").get_to(L.File);
  J.at("line").get_to(L.Line);
  J.at("column").get_to(L.Column);
}
namespace {
const char *const StepKindNames[] = {"acquire", "release", "branch", "loop",
                                     "call",    "lost",    "note",   "unsummarised"};
}  // namespace

const char *toString(StepKind K) { return StepKindNames[static_cast<unsigned>(K)]; }

bool stepKindFromString(const std::string &S, StepKind &K) {
  for (unsigned I = 0; I < std::size(StepKindNames); ++I)
    if (S == StepKindNames[I]) {
      K = static_cast<StepKind>(I);
      return true;
    }
  return false;
}

void to_json(nlohmann::json &J, const PathStep &S) {
  J = nlohmann::json{{"location", S.Loc}, {"message", S.Message}, {"kind", toString(S.Kind)}};
  if (!S.Callee.empty()) J["callee"] = S.Callee;
}
void from_json(const nlohmann::json &J, PathStep &S) {
  J.at("location").get_to(S.Loc);
  J.at("message").get_to(S.Message);
  std::string K = J.at("kind").get<std::string>();
  if (!stepKindFromString(K, S.Kind))
    throw std::invalid_argument("unknown path step kind '" + K + "'");
  S.Callee = J.value("callee", std::string());
}
void to_json(nlohmann::json &J, const TraversedFile &T) {
  J = nlohmann::json{{"file", T.File}, {"lines", T.Lines}, {"between", T.Between}};
}
void from_json(const nlohmann::json &J, TraversedFile &T) {
  J.at("file").get_to(T.File);
  J.at("lines").get_to(T.Lines);
  J.at("between").get_to(T.Between);
}
void to_json(nlohmann::json &J, const FixEdit &E) {
  J = nlohmann::json{{"description", E.Description},
                     {"file", E.File},
                     {"start_line", E.StartLine},
                     {"deleted_lines", E.DeletedLines},
                     {"text", E.Text},
                     {"original", E.Original},
                     {"before", E.Before},
                     {"after", E.After},
                     {"file_lines", E.FileLines},
                     {"final_newline", E.FinalNewline}};
}
void from_json(const nlohmann::json &J, FixEdit &E) {
  J.at("description").get_to(E.Description);
  J.at("file").get_to(E.File);
  J.at("start_line").get_to(E.StartLine);
  J.at("deleted_lines").get_to(E.DeletedLines);
  J.at("text").get_to(E.Text);
  J.at("original").get_to(E.Original);
  J.at("before").get_to(E.Before);
  J.at("after").get_to(E.After);
  J.at("file_lines").get_to(E.FileLines);
  J.at("final_newline").get_to(E.FinalNewline);
}
void to_json(nlohmann::json &J, const Finding &F) {
  J = nlohmann::json{{"rule", F.RuleId},       {"location", F.Loc},
                     {"message", F.Message},   {"message_key", F.MessageKey},
                     {"function", F.Function}, {"variable", F.Variable},
                     {"api", F.Api},           {"acquire", F.AcquireLoc},
                     {"family", F.Family},     {"release", F.ReleaseFunction},
                     {"path", F.Path}};
  if (!F.Traversed.empty()) J["traversed"] = F.Traversed;
  if (!F.HeldField.empty()) J["held_field"] = F.HeldField;
  if (F.Fix) J["fix"] = *F.Fix;
}
void from_json(const nlohmann::json &J, Finding &F) {
  J.at("rule").get_to(F.RuleId);
  J.at("location").get_to(F.Loc);
  J.at("message").get_to(F.Message);
  J.at("function").get_to(F.Function);
  J.at("variable").get_to(F.Variable);
  J.at("api").get_to(F.Api);
  J.at("acquire").get_to(F.AcquireLoc);
  if (J.contains("message_key")) J.at("message_key").get_to(F.MessageKey);  // older JSON: none
  if (J.contains("family")) J.at("family").get_to(F.Family);  // older JSON has neither
  if (J.contains("release")) J.at("release").get_to(F.ReleaseFunction);
  J.at("path").get_to(F.Path);
  if (J.contains("traversed")) J.at("traversed").get_to(F.Traversed);  // older JSON has none
  if (J.contains("held_field")) J.at("held_field").get_to(F.HeldField);
  if (J.contains("fix")) F.Fix = J.at("fix").get<FixEdit>();
}

const std::vector<std::string> &allRuleIds() {
  static const std::vector<std::string> Ids = [] {
    std::vector<std::string> R;
    for (const RuleDoc &D : ruleDocs()) R.push_back(D.Id);
    return R;
  }();
  return Ids;
}

std::string resolveDocLinks(const std::string &Text, const std::string &DocBaseUri) {
  const std::string Marker = DocBaseMarker;
  std::string Out;
  size_t From = 0;
  for (size_t At; (At = Text.find(Marker, From)) != std::string::npos; From = At + Marker.size())
    Out += Text.substr(From, At - From) + DocBaseUri;
  return Out + Text.substr(From);
}

}  // namespace krefcheck
