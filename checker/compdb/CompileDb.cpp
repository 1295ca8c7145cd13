#include "compdb/CompileDb.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace krefcheck {

namespace fs = std::filesystem;
using json = nlohmann::json;

std::vector<std::string> splitCommandLine(const std::string &Cmd) {
  std::vector<std::string> Out;
  std::string Cur;
  bool InTok = false;
  for (size_t I = 0; I < Cmd.size(); ++I) {
    char C = Cmd[I];
    if (C == '\\' && I + 1 < Cmd.size()) {
      Cur += Cmd[++I];
      InTok = true;
    } else if (C == '\'') {
      InTok = true;
      while (++I < Cmd.size() && Cmd[I] != '\'') Cur += Cmd[I];
    } else if (C == '"') {
      InTok = true;
      while (++I < Cmd.size() && Cmd[I] != '"') {
        if (Cmd[I] == '\\' && I + 1 < Cmd.size() &&
            (Cmd[I + 1] == '"' || Cmd[I + 1] == '\\' || Cmd[I + 1] == '$'))
          ++I;
        Cur += Cmd[I];
      }
    } else if (C == ' ' || C == '\t' || C == '\n') {
      if (InTok) Out.push_back(Cur);
      Cur.clear();
      InTok = false;
    } else {
      Cur += C;
      InTok = true;
    }
  }
  if (InTok) Out.push_back(Cur);
  return Out;
}

bool loadCompileDb(const std::string &Path, CompileDb &Db, std::string &Error) {
  std::error_code EC;
  fs::path P(Path);
  if (fs::is_directory(P, EC) || (!fs::exists(P, EC) && P.extension() != ".json"))
    P /= "compile_commands.json";
  Db.Path = P.string();
  std::ifstream In(P);
  if (!In) {
    Error = P.string() + ": cannot read compile database";
    return false;
  }
  std::stringstream SS;
  SS << In.rdbuf();
  json Doc;
  try {
    Doc = json::parse(SS.str());
  } catch (const json::parse_error &E) {
    std::string Msg = E.what();
    for (char &C : Msg)
      if (C == '\n') C = ' ';
    Error = P.string() + ": malformed compile database: " + Msg;
    return false;
  }
  if (!Doc.is_array()) {
    Error = P.string() + ": malformed compile database: expected a JSON array of entries";
    return false;
  }
  fs::path DbDir = fs::absolute(P, EC).parent_path();
  for (size_t I = 0; I < Doc.size(); ++I) {
    const json &E = Doc[I];
    std::string Where = P.string() + ": entry " + std::to_string(I);
    if (!E.is_object()) {
      Db.Errors.push_back(Where + ": not an object");
      continue;
    }
    auto Str = [&](const char *K) -> std::string {
      auto It = E.find(K);
      return It != E.end() && It->is_string() ? It->get<std::string>() : std::string();
    };
    CompileCommand C;
    std::string Dir = Str("directory"), File = Str("file");
    if (Dir.empty() || File.empty()) {
      Db.Errors.push_back(Where + ": missing \"directory\" or \"file\"");
      continue;
    }
    fs::path DirP(Dir);
    if (DirP.is_relative()) DirP = DbDir / DirP;
    C.Directory = DirP.lexically_normal().string();
    if (C.Directory.size() > 1 && C.Directory.back() == '/') C.Directory.pop_back();
    fs::path FileP(File);
    if (FileP.is_relative()) FileP = DirP / FileP;
    C.File = FileP.lexically_normal().string();
    C.DisplayFile = File;
    auto Args = E.find("arguments");
    if (Args != E.end()) {
      if (!Args->is_array()) {
        Db.Errors.push_back(Where + " (" + File + "): \"arguments\" is not an array");
        continue;
      }
      bool Ok = true;
      for (const json &A : *Args) {
        if (!A.is_string()) Ok = false;
        else C.Arguments.push_back(A.get<std::string>());
      }
      if (!Ok) {
        Db.Errors.push_back(Where + " (" + File + "): \"arguments\" holds a non-string");
        continue;
      }
    } else if (!Str("command").empty()) {
      C.Arguments = splitCommandLine(Str("command"));
    } else {
      Db.Errors.push_back(Where + " (" + File + "): no \"arguments\" or \"command\"");
      continue;
    }
    if (C.Arguments.empty()) {
      Db.Errors.push_back(Where + " (" + File + "): empty command");
      continue;
    }
    Db.Commands.push_back(std::move(C));
  }
  return true;
}

std::vector<std::string> analysisArguments(const CompileCommand &Cmd) {
  std::vector<std::string> Out;
  Out.push_back("clang");
  const auto &A = Cmd.Arguments;
  for (size_t I = 1; I < A.size(); ++I) {
    const std::string &S = A[I];
    // Output, dependency and compile-mode flags: not wanted for a syntax-only run.
    if (S == "-o" || S == "-MF" || S == "-MT" || S == "-MQ") {
      ++I;
      continue;
    }
    if (S == "-c" || S == "-S" || S == "-E" || S == "-MD" || S == "-MMD" || S == "-M" ||
        S == "-MM" || S == "-MP" || S.rfind("-Wp,-MD", 0) == 0 || S.rfind("-Wp,-MMD", 0) == 0 ||
        S.rfind("-o", 0) == 0 && S.size() > 2 && S != "-objcmt")
      continue;
    if (S.rfind("-W", 0) == 0 && S.rfind("-Wp,", 0) != 0 && S.rfind("-Wa,", 0) != 0 &&
        S.rfind("-Wl,", 0) != 0)
      continue;  // warnings are not ours to report
    Out.push_back(S);
  }
  Out.push_back("-fsyntax-only");
  Out.push_back("-w");
  Out.push_back("-Wno-unknown-warning-option");
  Out.push_back("-Qunused-arguments");
  Out.push_back("-fno-caret-diagnostics");  // also silences "N errors generated."
  Out.push_back("-resource-dir=" KREFCHECK_CLANG_RESOURCE_DIR);
  Out.push_back("-D__krefcheck__=1");
  return Out;
}

}  // namespace krefcheck
