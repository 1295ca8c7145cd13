#include "analysis/TUAnalyzer.h"

#include "analysis/FixBuilder.h"
#include "analysis/Prepass.h"
#include "analysis/RefcountChecker.h"
#include "rules/Rules.h"

#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Analysis/PathDiagnostic.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Frontend/MultiplexConsumer.h"
#include "clang/StaticAnalyzer/Core/AnalyzerOptions.h"
#include "clang/StaticAnalyzer/Core/BugReporter/BugReporterVisitors.h"
#include "clang/StaticAnalyzer/Frontend/AnalysisConsumer.h"
#include "clang/StaticAnalyzer/Frontend/CheckerRegistry.h"
#include "clang/Tooling/Tooling.h"

#include <chrono>
#include <fcntl.h>
#include <filesystem>
#include <set>
#include <unistd.h>

using namespace clang;
using namespace clang::ento;

namespace krefcheck {
namespace {

namespace fs = std::filesystem;

std::string absolutePath(StringRef Name, const std::string &Dir) {
  fs::path P(Name.str());
  if (P.is_relative()) P = fs::path(Dir) / P;
  return P.lexically_normal().string();
}

Location toLocation(SourceLocation L, const SourceManager &SM, const std::string &Dir) {
  Location Out;
  if (L.isInvalid()) return Out;
  SourceLocation E = SM.getExpansionLoc(L);
  PresumedLoc PL = SM.getPresumedLoc(E, /*UseLineDirectives=*/false);
  if (PL.isInvalid()) return Out;
  Out.File = absolutePath(PL.getFilename(), Dir);
  Out.Line = PL.getLine();
  Out.Column = PL.getColumn();
  return Out;
}

unsigned beginLine(const Stmt *S, const SourceManager &SM) {
  return SM.getExpansionLineNumber(S->getBeginLoc());
}
unsigned endLine(const Stmt *S, const SourceManager &SM) {
  return SM.getExpansionLineNumber(SM.getExpansionRange(S->getEndLoc()).getEnd());
}
/// Does the path execute a line in [First, Last]?
bool runsIn(const std::set<unsigned> &Run, unsigned First, unsigned Last) {
  auto It = Run.lower_bound(First);
  return It != Run.end() && *It <= Last;
}

/// The (A, B) pairs of Finding::Traversed inside S: two neighbouring statements of a block that
/// both run on the path (the path went on from the first to the second), the block's opening
/// brace and its first statement when that runs, its last statement and the closing brace, a
/// label and its statement when that runs.
void collectBetween(const Stmt *S, const std::set<unsigned> &Run, const SourceManager &SM,
                    std::set<std::pair<unsigned, unsigned>> &Out) {
  if (const auto *CS = dyn_cast<CompoundStmt>(S); CS && !CS->body_empty()) {
    unsigned Prev = SM.getExpansionLineNumber(CS->getLBracLoc());
    bool PrevRan = true;
    for (const Stmt *C : CS->body()) {
      unsigned First = beginLine(C, SM), Last = endLine(C, SM);
      bool Ran = runsIn(Run, First, Last);
      if (PrevRan && Ran && Prev < First) Out.insert({Prev, First});
      Prev = Last;
      PrevRan = Ran;
    }
    unsigned Close = SM.getExpansionLineNumber(CS->getRBracLoc());
    if (PrevRan && Prev < Close) Out.insert({Prev, Close});
  }
  // "out:" and its statement: the label is reached by a jump or by falling through, then the
  // statement runs (lines deleted after `out:` lie on every path that reaches it).
  const Stmt *Sub = nullptr;
  if (const auto *L = dyn_cast<LabelStmt>(S)) Sub = L->getSubStmt();
  else if (const auto *C = dyn_cast<SwitchCase>(S)) Sub = C->getSubStmt();
  if (Sub) {
    unsigned Label = beginLine(S, SM), First = beginLine(Sub, SM);
    if (Label < First && runsIn(Run, First, endLine(Sub, SM))) Out.insert({Label, First});
  }
  for (const Stmt *C : S->children())
    if (C) collectBetween(C, Run, SM, Out);
}

/// Finding::Traversed of a report: the lines the analyzer lists as executed on the bug path
/// (every statement, block terminator - goto, break, continue, the branch taken - and label),
/// without the signatures of the functions it enters (listed for display, not executed), and
/// the block positions the path goes through.
std::vector<TraversedFile> traversedLines(const PathDiagnostic &D, const SourceManager &SM,
                                          const std::string &Dir) {
  std::map<FileID, std::set<unsigned>> Run(D.getExecutedLines().begin(),
                                           D.getExecutedLines().end());
  std::map<FileID, std::set<std::pair<unsigned, unsigned>>> Between;
  if (const Decl *Issue = D.getDeclWithIssue()) {
    for (const Decl *X : Issue->getASTContext().getTranslationUnitDecl()->decls()) {
      const auto *FD = dyn_cast<FunctionDecl>(X);
      const Stmt *Body = FD && FD->doesThisDeclarationHaveABody() ? FD->getBody() : nullptr;
      if (!Body) continue;
      auto It = Run.find(SM.getFileID(SM.getExpansionLoc(Body->getBeginLoc())));
      if (It == Run.end()) continue;
      unsigned Open = beginLine(Body, SM);
      if (!runsIn(It->second, Open, endLine(Body, SM))) continue;
      It->second.erase(It->second.lower_bound(SM.getExpansionLineNumber(FD->getBeginLoc())),
                       It->second.lower_bound(Open));
      collectBetween(Body, It->second, SM, Between[It->first]);
    }
  }
  std::vector<TraversedFile> Out;
  for (auto &[FID, Lines] : Run) {
    PresumedLoc PL = SM.getPresumedLoc(SM.getLocForStartOfFile(FID), /*UseLineDirectives=*/false);
    if (PL.isInvalid() || Lines.empty()) continue;
    TraversedFile T;
    T.File = absolutePath(PL.getFilename(), Dir);
    T.Lines.assign(Lines.begin(), Lines.end());
    auto B = Between.find(FID);
    if (B != Between.end()) T.Between.assign(B->second.begin(), B->second.end());
    Out.push_back(std::move(T));
  }
  std::sort(Out.begin(), Out.end(),
            [](const TraversedFile &A, const TraversedFile &B) { return A.File < B.File; });
  return Out;
}

/// Turns each Static Analyzer report of our checker into a Finding with its path.
class FindingCollector : public PathDiagnosticConsumer {
public:
  FindingCollector(std::vector<Finding> &Out, CheckerContextData &Ctx, SourceManager &SM,
                   std::string Dir)
      : Out(Out), Ctx(Ctx), SM(SM), Dir(std::move(Dir)) {}

  StringRef getName() const override { return "krefcheck"; }
  PathGenerationScheme getGenerationScheme() const override { return Extensive; }
  bool supportsLogicalOpControlFlow() const override { return true; }
  bool supportsCrossFileDiagnostics() const override { return true; }

  void FlushDiagnosticsImpl(std::vector<const PathDiagnostic *> &Diags, FilesMade *) override {
    for (const PathDiagnostic *D : Diags) {
      if (!D->getCheckerName().starts_with("krefcheck")) continue;
      Finding F;
      F.RuleId = D->getBugType().str();
      F.Message = D->getVerboseDescription().str();
      F.Loc = toLocation(D->getLocation().asLocation(), SM, Dir);
      if (const auto *ND = dyn_cast_or_null<NamedDecl>(D->getDeclWithIssue()))
        F.Function = ND->getNameAsString();
      std::vector<FlatPiece> Flat;
      flattenPath(D->path, Flat);
      // The checker's facts, from the tag it put on the report's last piece.
      const ReportMeta *Meta = nullptr;
      for (const FlatPiece &P : Flat)
        if (const ReportMeta *M = reportMetaOf(Ctx, P.Piece->getTag())) Meta = M;
      if (Meta) {
        F.MessageKey = Meta->MessageKey;
        F.Variable = Meta->Variable;
        F.Api = Meta->Api;
        F.Family = Meta->Family;
        F.ReleaseFunction = Meta->ReleaseFunction;
        F.HeldField = Meta->HeldField;
        if (Meta->AcquireRawLoc)
          F.AcquireLoc =
              toLocation(SourceLocation::getFromRawEncoding(Meta->AcquireRawLoc), SM, Dir);
      }
      SourceLocation LastBranch;
      for (const FlatPiece &P : Flat) {
        // The report's own piece is the finding itself: the last step says where the
        // reference is lost instead.
        if (Meta && P.Piece->getTag() == Meta->Tag.c_str()) continue;
        std::string Text = P.Piece->getString().str();
        if (Text.empty()) continue;
        PathStep S;
        S.Loc = toLocation(P.Piece->getLocation().asLocation(), SM, Dir);
        S.Message = Text;
        S.Kind = kindOf(P, D->getDeclWithIssue());
        if (const std::string *Callee = unsummarisedCalleeOf(Ctx, P.Piece->getTag())) {
          S.Kind = StepKind::Unsummarised;
          S.Callee = *Callee;
        }
        if (!F.Path.empty() && F.Path.back().Loc == S.Loc && F.Path.back().Message == S.Message)
          continue;
        if (S.Kind == StepKind::Branch) LastBranch = P.Piece->getLocation().asLocation();
        F.Path.push_back(S);
      }
      PathStep Last;
      Last.Loc = F.Loc;
      Last.Kind = StepKind::Lost;
      if (F.RuleId == "krefcheck-leak" || F.RuleId == "krefcheck-loop-leak")
        Last.Message = "reference lost here";
      else if (F.RuleId == "krefcheck-use-after-put") Last.Message = "used here after the last put";
      else if (F.RuleId == "krefcheck-wrong-release")
        Last.Message = "freed here while a reference is held";
      else Last.Message = "released again here";
      F.Path.push_back(Last);
      F.Traversed = traversedLines(*D, SM, Dir);
      // The fix, from the AST and the effective rules (this TU's summaries included).
      if (Meta && Meta->AcquireRawLoc && Ctx.Rules) {
        FixSite Site;
        Site.Function = dyn_cast_or_null<FunctionDecl>(D->getDeclWithIssue());
        Site.Exit = D->getLocation().asLocation();
        Site.Acquire = SourceLocation::getFromRawEncoding(Meta->AcquireRawLoc);
        Site.LastBranch = LastBranch;
        F.Fix = buildFix(F, Site, *Ctx.Rules, SM);
      }
      // One finding per rule, function, variable and acquiring call: the analyzer keeps
      // reports apart when their messages differ by a path detail.
      bool Dup = false;
      for (Finding &G : Out) {
        if (G.RuleId == F.RuleId && G.Function == F.Function && G.Variable == F.Variable &&
            G.AcquireLoc == F.AcquireLoc && G.Api == F.Api && G.Loc == F.Loc) {
          if (F.Path.size() < G.Path.size()) G = F;
          Dup = true;
          break;
        }
      }
      if (!Dup) Out.push_back(std::move(F));
    }
  }

private:
  /// A piece of the path as the analyzer's flatten() lists it, and whether it is the entry
  /// into or the return from an inlined call.
  struct FlatPiece {
    PathDiagnosticPieceRef Piece;
    bool CallEdge = false;
  };
  /// PathPieces::flatten(/*ShouldFlattenMacros=*/true), keeping what each piece is.
  static void flattenPath(const PathPieces &Pieces, std::vector<FlatPiece> &Out) {
    for (const PathDiagnosticPieceRef &P : Pieces) {
      if (const auto *Call = dyn_cast<PathDiagnosticCallPiece>(P.get())) {
        if (auto Enter = Call->getCallEnterEvent()) Out.push_back({Enter, true});
        flattenPath(Call->path, Out);
        if (auto Exit = Call->getCallExitEvent()) Out.push_back({Exit, true});
      } else if (const auto *Macro = dyn_cast<PathDiagnosticMacroPiece>(P.get())) {
        flattenPath(Macro->subPieces, Out);
      } else {
        Out.push_back({P, false});
      }
    }
  }

  /// The begin locations of every loop of the TU and of its condition (raw encodings): the
  /// analyzer places its loop events ("Entering loop body", "Looping back...") there. The
  /// pieces reach the consumer with their statements dropped, so they are matched by location.
  const std::set<unsigned> &loopLocations(ASTContext &AC) {
    if (LoopLocsBuilt) return LoopLocs;
    LoopLocsBuilt = true;
    struct Finder : RecursiveASTVisitor<Finder> {
      std::set<unsigned> &Out;
      explicit Finder(std::set<unsigned> &Out) : Out(Out) {}
      void add(const Stmt *Loop, const Expr *Cond) {
        Out.insert(Loop->getBeginLoc().getRawEncoding());
        if (!Cond) return;
        Out.insert(Cond->getBeginLoc().getRawEncoding());
        Out.insert(Cond->IgnoreParens()->getBeginLoc().getRawEncoding());
      }
      bool VisitForStmt(ForStmt *S) {
        add(S, S->getCond());
        return true;
      }
      bool VisitWhileStmt(WhileStmt *S) {
        add(S, S->getCond());
        return true;
      }
      bool VisitDoStmt(DoStmt *S) {
        add(S, S->getCond());
        return true;
      }
    } F(LoopLocs);
    F.TraverseDecl(AC.getTranslationUnitDecl());
    return LoopLocs;
  }

  /// The kind of a step, from what made it: the checker's tags, the analyzer's condition
  /// visitors, call entries and exits, loop events (placed on the loop or its condition).
  StepKind kindOf(const FlatPiece &FP, const Decl *Issue) {
    if (FP.CallEdge) return StepKind::Call;
    const PathDiagnosticPiece &P = *FP.Piece;
    StepKind K;
    if (stepKindOfTag(P.getTag(), K)) return K;
    if (P.getTag() == ConditionBRVisitor::getTag() ||
        P.getTag() == TrackConstraintBRVisitor::getTag())
      return StepKind::Branch;
    SourceLocation L;
    if (const auto *CF = dyn_cast<PathDiagnosticControlFlowPiece>(&P))
      L = CF->getStartLocation().asLocation();
    else if (isa<PathDiagnosticEventPiece>(&P) && P.getTagStr().empty())
      L = P.getLocation().asLocation();
    if (L.isValid() && Issue && loopLocations(Issue->getASTContext()).count(L.getRawEncoding()))
      return StepKind::Loop;
    if (isa<PathDiagnosticControlFlowPiece>(&P)) return StepKind::Branch;
    return StepKind::Note;
  }

  std::vector<Finding> &Out;
  bool LoopLocsBuilt = false;
  std::set<unsigned> LoopLocs;
  CheckerContextData &Ctx;
  SourceManager &SM;
  std::string Dir;
};

/// Remembers the first error Clang reports (a TU that does not parse is a failed TU).
class ErrorCatcher : public DiagnosticConsumer {
public:
  std::string First;
  unsigned Errors = 0;
  void HandleDiagnostic(DiagnosticsEngine::Level Level, const Diagnostic &Info) override {
    DiagnosticConsumer::HandleDiagnostic(Level, Info);
    if (Level < DiagnosticsEngine::Error) return;
    ++Errors;
    if (!First.empty()) return;
    llvm::SmallString<256> Msg;
    Info.FormatDiagnostic(Msg);
    if (Info.hasSourceManager() && Info.getLocation().isValid()) {
      PresumedLoc PL = Info.getSourceManager().getPresumedLoc(
          Info.getSourceManager().getExpansionLoc(Info.getLocation()));
      if (PL.isValid())
        First = std::string(PL.getFilename()) + ":" + std::to_string(PL.getLine()) + ": ";
    }
    First += Msg.str().str();
  }
};

/// The pre-pass's own findings (after it ran, in the same TU): a parameter released on some
/// failure exits and kept on another (docs/summaries.md).
class PrepassFindings : public ASTConsumer {
public:
  PrepassFindings(std::vector<Finding> &Out, const PrepassResult &Stats, const RuleSet &Rules,
                  std::string Dir)
      : Out(Out), Stats(Stats), Rules(Rules), Dir(std::move(Dir)) {}

  void HandleTranslationUnit(ASTContext &Ctx) override {
    if (Ctx.getDiagnostics().hasErrorOccurred()) return;
    const SourceManager &SM = Ctx.getSourceManager();
    for (const InconsistentRelease &IR : Stats.Inconsistent) {
      const Family *Fam = Rules.family(IR.Family);
      std::string Put = IR.Release->getDirectCallee()
                            ? IR.Release->getDirectCallee()->getNameAsString()
                            : std::string("a put");
      std::string Name = IR.Param->getNameAsString();
      unsigned PutLine = SM.getExpansionLineNumber(IR.Release->getBeginLoc());
      auto text = [&](const std::string &Line) {
        return "parameter '" + Name + "' is released by " + Put + "() on a failure exit (line " +
               Line + ") but not on this one: a caller cannot tell whether it still holds " +
               "the reference (" + (Fam ? Fam->Release : Put) + "() missing)";
      };
      Finding F;
      F.RuleId = "krefcheck-leak";
      F.Loc = toLocation(IR.Exit->getBeginLoc(), SM, Dir);
      F.Message = text(std::to_string(PutLine));
      F.MessageKey = text("N");
      F.Function = IR.Function->getNameAsString();
      F.Variable = Name;
      F.Family = IR.Family;
      if (Fam) F.ReleaseFunction = Fam->Release;
      PathStep Rel;
      Rel.Loc = toLocation(IR.Release->getBeginLoc(), SM, Dir);
      Rel.Message = "'" + Name + "' released by " + Put + "() before a failure return";
      Rel.Kind = StepKind::Release;
      PathStep Lost;
      Lost.Loc = F.Loc;
      Lost.Message = "failure return that keeps '" + Name + "'";
      Lost.Kind = StepKind::Lost;
      F.Path = {Rel, Lost};
      // Every exit of the function takes part: in patch mode a change anywhere in it counts.
      if (const Stmt *Body = IR.Function->getBody()) {
        TraversedFile T;
        T.File = F.Loc.File;
        for (unsigned L = beginLine(Body, SM), E = endLine(Body, SM); L <= E; ++L)
          T.Lines.push_back(L);
        F.Traversed.push_back(std::move(T));
      }
      Out.push_back(std::move(F));
    }
  }

private:
  std::vector<Finding> &Out;
  const PrepassResult &Stats;
  const RuleSet &Rules;
  std::string Dir;
};

class KrefAction : public ASTFrontendAction {
public:
  KrefAction(RuleSet &Rules, const TUOptions &Opts, TUResult &Result, CheckerContextData &Ctx,
             PrepassResult &Stats, std::string Dir, const ErrorCatcher &Errors)
      : Stats(Stats), Rules(Rules), Opts(Opts), Result(Result), Ctx(Ctx), Dir(std::move(Dir)),
        Errors(Errors) {}

  // An error in the command line (an option Clang rejects, an unreadable seed file...) already
  // fails the file: do not parse and analyse it only to throw the result away.
  bool BeginSourceFileAction(CompilerInstance &) override { return Errors.Errors == 0; }

  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI, StringRef) override {
    // Header function bodies are skipped while parsing (see Prepass); main-file ones are kept.
    CI.getFrontendOpts().SkipFunctionBodies = Opts.StripIrrelevantBodies;
    if (Opts.SummariesOnly) return makePrepassConsumer(Rules, Stats, Opts.StripIrrelevantBodies);
    AnalyzerOptions &AO = CI.getAnalyzerOpts();
    AO.CheckersAndPackages = {
        {"core.builtin", true}, {"core.NullDereference", true}, {CheckerFullName, true}};
    AO.AnalysisDiagOpt = PD_NONE;
    // The analyzer ends a path at every CFGCleanupFunction (__free(), guard(), *_scoped):
    // keep them out of the CFG and model cleanup variables in the checker instead.
    AO.ShouldIncludeImplicitDtorsInCFG = false;
    AO.MaxNodesPerTopLevelFunction = Opts.MaxNodes;
    // Budgets, measured on Linux 6.12 drivers/of and pseries: loops unrolled 3 times (two
    // iterations and the exit) and callees inlined 2 deep find every finding of 4 times and 5
    // deep, for 30% less CPU (same-file helpers are applied as summaries, not inlined).
    AO.maxBlockVisitOnPath = 3;
    AO.InlineMaxStackDepth = 2;
    // Kernel functions are large once dev_dbg()/pr_debug() expand (dynamic debug): a helper
    // of 100-150 CFG blocks that stores references into its caller's object must still be
    // inlined (cal_camerarx_parse_dt() in 6.1). The analyzer's default stops at 100.
    AO.MaxInlinableSize = 150;
    // Past the loop bound, continue after the loop with the loop's effects widened instead of
    // dropping the path: otherwise every bounded `for (i = 0; i < 8; i++)` ends the analysis.
    // The checker's own widening does it (widening::registerLoopWidener): Clang's runs an AST
    // matcher over the function body at each widening.
    AO.ShouldWidenLoops = false;
    // Every function that matters is analysed as an entry point of its own, also when it was
    // inlined into a caller (reports are made from the entry point that acquired).
    AO.InliningMode = All;
    AO.AnalyzerDisplayProgress = getenv("KREFCHECK_PROGRESS") != nullptr;
    AO.ShouldEmitErrorsOnInvalidConfigValue = false;
    std::unique_ptr<AnalysisASTConsumer> AC = CreateAnalysisConsumer(CI);
    AC->AddDiagnosticConsumer(
        new FindingCollector(Result.Findings, Ctx, CI.getSourceManager(), Dir));
    AC->AddCheckerRegistrationFn([](CheckerRegistry &Registry) {
      Registry.addChecker(registerRefcountChecker, shouldRegisterRefcountChecker, CheckerFullName,
                          "Reference-count bugs on kernel objects", "", /*IsHidden=*/false);
    });
    std::vector<std::unique_ptr<ASTConsumer>> Consumers;
    Consumers.push_back(makePrepassConsumer(Rules, Stats, Opts.StripIrrelevantBodies));
    Consumers.push_back(std::move(AC));
    Consumers.push_back(std::make_unique<PrepassFindings>(Result.Findings, Stats, Rules, Dir));
    return std::make_unique<MultiplexConsumer>(std::move(Consumers));
  }

private:
  PrepassResult &Stats;
  RuleSet &Rules;
  const TUOptions &Opts;
  TUResult &Result;
  CheckerContextData &Ctx;
  std::string Dir;
  const ErrorCatcher &Errors;
};

/// The compiler ran in the entry's directory: every relative path in its options
/// (-frandomize-layout-seed-file=, -include, -fprofile-*, sanitizer lists...) is relative to
/// it, also those Clang reads past its virtual file system. So the process works there for
/// the TU, and goes back to where it was afterwards (a worker, or --no-isolation's next TU).
class InDirectory {
public:
  explicit InDirectory(const std::string &Dir) {
    Saved = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (Saved >= 0 && chdir(Dir.c_str()) != 0) {
      close(Saved);
      Saved = -1;
    }
  }
  ~InDirectory() {
    if (Saved < 0) return;
    if (fchdir(Saved) != 0) { /* nowhere better to go */
    }
    close(Saved);
  }

private:
  int Saved = -1;
};

}  // namespace

TUResult analyzeTU(const CompileCommand &Cmd, const RuleSet &BaseRules, const TUOptions &Opts) {
  auto Start = std::chrono::steady_clock::now();
  TUResult Result;
  Result.File = Cmd.File;
  std::error_code EC;
  if (!fs::exists(Cmd.File, EC)) {
    Result.Ok = false;
    Result.Error = "source file not found";
    return Result;
  }
  if (!fs::is_directory(Cmd.Directory, EC)) {
    Result.Ok = false;
    Result.Error = "build directory not found: " + Cmd.Directory;
    return Result;
  }
  RuleSet Rules = BaseRules;  // the pre-pass adds this TU's summaries
  CheckerContextData Ctx;
  Ctx.Rules = &Rules;
  setCheckerContext(&Ctx);

  std::vector<std::string> Args = analysisArguments(Cmd);
  PrepassResult Stats;
  Ctx.ReleaseCallbacks = &Stats.ReleaseCallbacks;
  Ctx.PuttingCallbacks = &Stats.PuttingCallbacks;
  Ctx.ParsedFunctions = &Stats.ParsedFunctions;
  Ctx.OwningFields = &Stats.OwningFields;
  Ctx.KeptFields = &Stats.KeptFields;
  Ctx.StoredFields = &Stats.StoredFields;
  Ctx.FreedAfterPut = &Stats.FreedAfterPut;
  Ctx.ReleasedOnFailedResult = &Stats.ReleasedOnFailedResult;
  Ctx.EmptyCallbacks = &Stats.EmptyCallbacks;
  Ctx.OwnedFieldChains = &Stats.OwnedFieldChains;
  Ctx.KindTestedParams = &Stats.KindTestedParams;
  Ctx.ReleasedFields = &Stats.ReleasedFields;
  Ctx.HandleFields = &Stats.HandleFields;
  Ctx.HandleActions = &Stats.HandleActions;
  Ctx.HandleLookups = &Stats.HandleLookups;
  Ctx.BorrowedStores = &Stats.BorrowedStores;
  Ctx.StoredGlobals = &Stats.StoredGlobals;
  ErrorCatcher Errors;
  auto Action =
      std::make_unique<KrefAction>(Rules, Opts, Result, Ctx, Stats, Cmd.Directory, Errors);
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS = llvm::vfs::createPhysicalFileSystem();
  if (!Opts.Overrides.empty()) {
    auto Overlay = llvm::makeIntrusiveRefCnt<llvm::vfs::OverlayFileSystem>(FS);
    auto Mem = llvm::makeIntrusiveRefCnt<llvm::vfs::InMemoryFileSystem>();
    for (auto &[Path, Text] : Opts.Overrides)
      Mem->addFile(Path, 0, llvm::MemoryBuffer::getMemBufferCopy(Text, Path));
    Overlay->pushOverlay(Mem);
    FS = Overlay;
  }
  FS->setCurrentWorkingDirectory(Cmd.Directory);
  llvm::IntrusiveRefCntPtr<FileManager> Files(new FileManager(FileSystemOptions(), FS));
  tooling::ToolInvocation Inv(Args, std::move(Action), Files.get(),
                              std::make_shared<PCHContainerOperations>());
  Inv.setDiagnosticConsumer(&Errors);
  bool Ok;
  {
    InDirectory Here(Cmd.Directory);
    Ok = Inv.run();
  }
  setCheckerContext(nullptr);
  if (!Ok || Errors.Errors) {
    Result.Ok = false;
    Result.Error = Errors.First.empty() ? std::string("clang could not parse this file")
                                        : "does not parse: " + Errors.First;
    Result.Findings.clear();
  }
  Result.Functions = Stats.MainFileFunctions;
  Result.Analysed = Stats.RelevantMainFile;
  Result.Summaries = Stats.Summaries;
  if (Result.Ok) {
    Result.Exported = std::move(Stats.Exported);
    Result.ExternalCalls = std::move(Stats.ExternalCalls);
    Result.SummaryCalls = std::move(Stats.SummaryCalls);
    Result.ExportSymbols = std::move(Stats.ExportSymbols);
    Result.ExternalDefs = std::move(Stats.ExternalDefs);
    Result.ReleasedFields.assign(Stats.SharedReleasedFields.begin(),
                                 Stats.SharedReleasedFields.end());
  }
  if (Opts.DumpSummaries) Result.SummaryLines = Stats.SummaryLines;
  std::sort(Result.Findings.begin(), Result.Findings.end());
  Result.Seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - Start).count();
  return Result;
}

}  // namespace krefcheck
