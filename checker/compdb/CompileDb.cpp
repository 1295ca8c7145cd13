#include "compdb/CompileDb.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/DiagnosticDriver.h"
#include "clang/Basic/DiagnosticOptions.h"
#include "clang/Basic/TargetInfo.h"
#include "clang/Basic/TargetOptions.h"
#include "clang/Driver/Compilation.h"
#include "clang/Driver/Driver.h"
#include "clang/Driver/Job.h"
#include "clang/Driver/Options.h"
#include "clang/Frontend/CompilerInvocation.h"
#include "llvm/Option/ArgList.h"
#include "llvm/Support/Allocator.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/StringSaver.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/TargetParser/Host.h"

#include <set>

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

bool expandResponseFiles(CompileCommand &Cmd, std::string &Error) {
  bool Any = false;
  for (size_t I = 1; I < Cmd.Arguments.size(); ++I)
    if (Cmd.Arguments[I].size() > 1 && Cmd.Arguments[I][0] == '@') Any = true;
  if (!Any) return true;
  // As GCC and Clang do: GNU quoting, a missing file leaves '@file' as it is (the compiler
  // then reports it), relative names are relative to the directory the compiler ran in.
  llvm::BumpPtrAllocator Alloc;
  llvm::StringSaver Saver(Alloc);
  llvm::SmallVector<const char *, 64> Argv;
  for (const std::string &A : Cmd.Arguments) Argv.push_back(Saver.save(A).data());
  llvm::cl::ExpansionContext ECtx(Alloc, llvm::cl::TokenizeGNUCommandLine);
  ECtx.setCurrentDir(Cmd.Directory);
  if (llvm::Error E = ECtx.expandResponseFiles(Argv)) {
    Error = "response file: " + llvm::toString(std::move(E));
    for (char &C : Error)
      if (C == '\n') C = ' ';
    return false;
  }
  Cmd.Arguments.assign(Argv.begin(), Argv.end());
  return true;
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
  } catch (const json::exception &E) {  // parse errors, and number overflow (1e999)
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
  if (Doc.empty()) {
    Error = P.string() + ": compile database has no entries";
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
    if (fs::is_directory(C.File, EC)) {
      Db.Errors.push_back(Where + " (" + File + "): is a directory, not a source file");
      continue;
    }
    std::string RspError;
    if (!expandResponseFiles(C, RspError)) {
      Db.Errors.push_back(Where + " (" + File + "): " + RspError);
      continue;
    }
    Db.Commands.push_back(std::move(C));
  }
  return true;
}

namespace {

bool startsWith(const std::string &S, const char *P) { return S.rfind(P, 0) == 0; }

/// GCC options Clang does not accept (or accepts only to reject for the target): dropped.
/// Exact names, and prefixes ending in '=' or '-'.
const char *const GccOnly[] = {
    "-fconserve-stack",
    "-mrecord-mcount",
    "-fno-allow-store-data-races",
    "-mindirect-branch=",
    "-mindirect-branch-register",
    "-mindirect-branch-cs-prefix",
    "-fno-var-tracking-assignments",
    "-mstack-protector-guard=",
    "-mstack-protector-guard-reg=",
    "-mstack-protector-guard-offset=",
    "-mstack-protector-guard-symbol=",
    "-fsanitize=bounds-strict",
    "-falign-jumps=",
    "-fno-ipa-sra",
    "-mpreferred-stack-boundary=",
    "-mcall-aixdesc",
    "-mtraceback=",
    "-fplugin=",
    "-fplugin-arg-",
    "-fmin-function-alignment=",
    "-fzero-init-padding-bits=",
    "-mno-fp-ret-in-387",
    "-mskip-rax-setup",
    "-fno-tree-loop-im",
    "-fno-inline-functions-called-once",
    "-mno-spe",
    "-mspe=",
    "-mno-string",
    "-mno-readonly-in-sdata",
    "-fno-ipa-cp-clone",
    "-fno-partial-inlining",
    "-fno-reorder-blocks",
    "-fno-ipa-bit-cp",
    "-fno-ipa-icf",
    "-fno-ipa-icf-functions",
    "-fno-ipa-modref",
    "-fno-shrink-wrap",
    "-Wa,",
    "-mabi=lp64",  // GCC's name for the AArch64 LP64 ABI (Clang: the default)
    "-femit-struct-debug-baseonly",
    "-fasan-shadow-offset=",
};

bool gccOnly(const std::string &S) {
  for (const char *G : GccOnly) {
    size_t N = strlen(G);
    char Last = G[N - 1];
    if (Last == '=' || Last == '-' || Last == ',' ? startsWith(S, G) : S == G) return true;
  }
  return false;
}

/// `aarch64-linux-gnu-gcc-12` -> `aarch64-linux-gnu`; `gcc`, `cc`, `clang` -> "".
std::string tripleFromCompiler(const std::string &Argv0) {
  std::string Base = fs::path(Argv0).filename().string();
  for (const char *Tool : {"-gcc", "-cc", "-clang"}) {
    size_t P = Base.rfind(Tool);
    if (P != std::string::npos && P > 0) return Base.substr(0, P);
  }
  return {};
}

bool isGccInclude(const std::string &Dir) {
  return (Dir.find("/gcc/") != std::string::npos || Dir.find("/gcc-cross/") != std::string::npos) &&
         Dir.size() >= 8 && Dir.compare(Dir.size() - 8, 8, "/include") == 0;
}

/// Collects the options Clang's driver rejects for the target ("unsupported option
/// '-fzero-call-used-regs=used-gpr' for target 'powerpc64-unknown-linux-gnu'"): GCC accepts them
/// for that target, Clang only for others. Each as the driver wrote it.
class TargetRejects : public clang::DiagnosticConsumer {
public:
  std::set<std::string> Options;                               // "-opt=value" / "-opt"
  std::set<std::pair<std::string, std::string>> OptionValues;  // ("-opt=", "value")
  void HandleDiagnostic(clang::DiagnosticsEngine::Level Level,
                        const clang::Diagnostic &Info) override {
    DiagnosticConsumer::HandleDiagnostic(Level, Info);
    unsigned ID = Info.getID();
    if (ID == clang::diag::err_drv_unsupported_opt_for_target && Info.getNumArgs() >= 1)
      Options.insert(Info.getArgStdStr(0));
    else if (ID == clang::diag::err_drv_unsupported_option_argument_for_target &&
             Info.getNumArgs() >= 2)
      OptionValues.insert({Info.getArgStdStr(0), Info.getArgStdStr(1)});
    else if (ID == clang::diag::err_target_unknown_cpu && Info.getNumArgs() >= 1)
      for (const char *O : {"-mcpu=", "-march=", "-mtune="})  // GCC's -mcpu=8540 (e500)
        OptionValues.insert({O, Info.getArgStdStr(0)});
  }
};

/// The target Clang's front end would build from the driver's -cc1 job: reports an unknown
/// CPU (the driver passes -mcpu= on unchecked).
void probeTarget(const clang::driver::Compilation &C, clang::DiagnosticsEngine &Diags) {
  for (const clang::driver::Command &Job : C.getJobs()) {
    const llvm::opt::ArgStringList &A = Job.getArguments();
    if (A.empty() || llvm::StringRef(A[0]) != "-cc1") continue;
    clang::CompilerInvocation Inv;
    if (!clang::CompilerInvocation::CreateFromArgs(Inv, A, Diags)) Diags.Reset();
    auto TO = std::make_shared<clang::TargetOptions>(Inv.getTargetOpts());
    llvm::IntrusiveRefCntPtr<clang::TargetInfo> T(clang::TargetInfo::CreateTargetInfo(Diags, TO));
    return;
  }
}

/// Drops from Args (argv, Args[0] the driver name) every option Clang's driver rejects for
/// the command's target, with its values. Asks the driver itself, so no list of options and
/// targets is kept here; the analysis would otherwise fail on the whole file.
void dropTargetRejected(std::vector<std::string> &Args) {
  for (int Round = 0; Round < 4; ++Round) {
    TargetRejects Rejects;
    {
      llvm::IntrusiveRefCntPtr<clang::DiagnosticOptions> DiagOpts = new clang::DiagnosticOptions;
      clang::DiagnosticsEngine Diags(new clang::DiagnosticIDs, DiagOpts, &Rejects,
                                     /*ShouldOwnClient=*/false);
      clang::driver::Driver D(Args[0], llvm::sys::getDefaultTargetTriple(), Diags,
                              "krefcheck option probe", llvm::vfs::getRealFileSystem());
      D.setCheckInputsExist(false);
      std::vector<const char *> Argv;
      for (const std::string &S : Args) Argv.push_back(S.c_str());
      std::unique_ptr<clang::driver::Compilation> C(D.BuildCompilation(Argv));
      if (C && Rejects.Options.empty() && Rejects.OptionValues.empty()) probeTarget(*C, Diags);
    }
    if (Rejects.Options.empty() && Rejects.OptionValues.empty()) return;
    std::vector<const char *> Ptrs;
    for (size_t I = 1; I < Args.size(); ++I) Ptrs.push_back(Args[I].c_str());
    unsigned MissingIndex = 0, MissingCount = 0;
    llvm::opt::InputArgList Parsed =
        clang::driver::getDriverOptTable().ParseArgs(Ptrs, MissingIndex, MissingCount);
    // Each parsed option spans the argv words from its index to the next option's.
    std::vector<const llvm::opt::Arg *> InOrder(Parsed.begin(), Parsed.end());
    std::vector<bool> Drop(Args.size(), false);
    bool Any = false;
    for (size_t K = 0; K < InOrder.size(); ++K) {
      const llvm::opt::Arg *A = InOrder[K];
      bool Rejected = Rejects.Options.count(A->getAsString(Parsed)) ||
                      Rejects.Options.count(A->getSpelling().str());
      for (const char *V : A->getValues())
        if (Rejects.OptionValues.count({A->getSpelling().str(), V})) Rejected = true;
      if (!Rejected) continue;
      unsigned End = K + 1 < InOrder.size() ? InOrder[K + 1]->getIndex() : Ptrs.size();
      for (unsigned W = A->getIndex(); W < End; ++W) Drop[W + 1] = true;
      Any = true;
    }
    if (!Any) return;  // rejected, but not one option we can name: leave it to the analysis
    std::vector<std::string> Kept;
    for (size_t I = 0; I < Args.size(); ++I)
      if (!Drop[I]) Kept.push_back(std::move(Args[I]));
    Args.swap(Kept);
  }
}

}  // namespace

std::vector<std::string> analysisArguments(const CompileCommand &Cmd) {
  std::vector<std::string> Out;
  Out.push_back("clang");
  const auto &A = Cmd.Arguments;
  bool HaveTarget = false;
  for (const std::string &S : A)
    if (startsWith(S, "--target=") || S == "-target") HaveTarget = true;
  if (!HaveTarget && !A.empty()) {
    std::string T = tripleFromCompiler(A[0]);
    if (!T.empty()) Out.push_back("--target=" + T);
  }
  for (size_t I = 1; I < A.size(); ++I) {
    const std::string &S = A[I];
    // Output, dependency and compile-mode flags: not wanted for a syntax-only run.
    if (S == "-o" || S == "-MF" || S == "-MT" || S == "-MQ") {
      ++I;
      continue;
    }
    if (S == "-c" || S == "-S" || S == "-E" || S == "-MD" || S == "-MMD" || S == "-M" ||
        S == "-MM" || S == "-MP" || startsWith(S, "-Wp,-MD") || startsWith(S, "-Wp,-MMD") ||
        (startsWith(S, "-o") && S.size() > 2 && !startsWith(S, "-objc")))
      continue;
    if (startsWith(S, "-W") && !startsWith(S, "-Wp,") && !startsWith(S, "-Wl,") &&
        !startsWith(S, "-Wa,"))
      continue;  // warnings are not ours to report
    if (gccOnly(S)) continue;
    // Without its GCC plugin the latent_entropy attribute does not exist.
    if (S == "-DLATENT_ENTROPY_PLUGIN") continue;
    // GCC's own builtin headers (stdarg.h, ...): use Clang's.
    if (S == "-isystem" && I + 1 < A.size() && isGccInclude(A[I + 1])) {
      Out.push_back("-isystem");
      Out.push_back(KREFCHECK_CLANG_RESOURCE_DIR "/include");
      ++I;
      continue;
    }
    Out.push_back(S);
  }
  // Whatever else Clang's driver does not know (a newer GCC's options) is dropped too.
  std::vector<const char *> Ptrs;
  for (size_t I = 1; I < Out.size(); ++I) Ptrs.push_back(Out[I].c_str());
  unsigned MissingIndex = 0, MissingCount = 0;
  llvm::opt::InputArgList Parsed =
      clang::driver::getDriverOptTable().ParseArgs(Ptrs, MissingIndex, MissingCount);
  std::vector<bool> Drop(Out.size(), false);
  for (const llvm::opt::Arg *Arg : Parsed)
    if (Arg->getOption().getKind() == llvm::opt::Option::UnknownClass)
      Drop[Arg->getIndex() + 1] = true;
  std::vector<std::string> Kept;
  for (size_t I = 0; I < Out.size(); ++I)
    if (!Drop[I]) Kept.push_back(Out[I]);
  dropTargetRejected(Kept);
  Kept.push_back("-fsyntax-only");
  Kept.push_back("-w");
  Kept.push_back("-Wno-unknown-warning-option");
  Kept.push_back("-Qunused-arguments");
  Kept.push_back("-fno-caret-diagnostics");  // also silences "N errors generated."
  Kept.push_back("-resource-dir=" KREFCHECK_CLANG_RESOURCE_DIR);
  Kept.push_back("-D__krefcheck__=1");
  return Kept;
}

namespace {

std::string outputOf(const CompileCommand &Cmd) {
  const auto &A = Cmd.Arguments;
  for (size_t I = 0; I + 1 < A.size(); ++I)
    if (A[I] == "-o") return A[I + 1];
  return {};
}

}  // namespace

bool buildDependencies(const CompileCommand &Cmd, std::vector<std::string> &Deps) {
  Deps.clear();
  std::string Out = outputOf(Cmd);
  if (Out.empty()) return false;
  fs::path O(Out);
  if (O.is_relative()) O = fs::path(Cmd.Directory) / O;
  for (fs::path Dep : {O.parent_path() / ("." + O.filename().string() + ".cmd"),
                       fs::path(O).replace_extension(".d")}) {
    std::ifstream In(Dep, std::ios::binary);
    if (!In) continue;
    std::stringstream SS;
    SS << In.rdbuf();
    std::string Text = SS.str();
    if (Text.empty()) continue;
    size_t Start;
    size_t D = Text.find("\ndeps_");
    if (D != std::string::npos) {
      Start = Text.find(":=", D);
      if (Start == std::string::npos) continue;
      Start += 2;
    } else {
      Start = Text.find(':');
      if (Start == std::string::npos) continue;
      Start += 1;
    }
    std::istringstream Words(Text.substr(Start));
    std::string W;
    while (Words >> W) {
      if (W == "\\" || W.rfind("$(wildcard", 0) == 0 || W.back() == ')') continue;
      if (W.back() == ':' || W.find(":=") != std::string::npos || W.rfind("$(", 0) == 0) break;
      Deps.push_back(W);
    }
    return true;
  }
  return false;
}

}  // namespace krefcheck
