#include "summaries/WholeProgram.h"

#include "run/Prefilter.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <memory>
#include <unordered_set>

namespace krefcheck {

std::string unsettledList(const std::vector<std::string> &Files) {
  std::string Out;
  for (size_t I = 0; I < Files.size() && I < 3; ++I) Out += (I ? ", " : "") + Files[I];
  if (Files.size() > 3) Out += " and " + std::to_string(Files.size() - 3) + " other files";
  return Out;
}

namespace {

/// Every summary of every record, by name. A name that two TUs define differently (two modules
/// with the same non-static function name, one summarised and one not, or summarised apart)
/// is dropped: no guess.
std::map<std::string, FunctionRule> mergeImports(const std::map<std::string, TUSummary> &Records,
                                                 std::vector<std::string> &Conflicts) {
  std::map<std::string, FunctionRule> Out;
  std::map<std::string, std::string> Fp;  // name -> summary fingerprint ("" = no summary)
  std::set<std::string> Bad;
  for (auto &[File, S] : Records) {
    if (!S.Ok) continue;
    std::map<std::string, const FunctionRule *> Mine;
    for (const FunctionRule &R : S.Functions) Mine[R.Name] = &R;
    std::set<std::string> Names(S.Defines.begin(), S.Defines.end());
    for (auto &[N, R] : Mine) Names.insert(N);
    for (const std::string &N : Names) {
      auto M = Mine.find(N);
      std::string F = M == Mine.end() ? "" : summaryFingerprint(*M->second);
      auto It = Fp.find(N);
      if (It == Fp.end()) {
        Fp[N] = F;
        if (M != Mine.end()) Out[N] = *M->second;
      } else if (It->second != F) {
        Bad.insert(N);
      }
    }
  }
  for (const std::string &N : Bad) {
    Out.erase(N);
    Conflicts.push_back(N);
  }
  return Out;
}

/// How much of a library a file is: its count of export macros (EXPORT_SYMBOL*(), the rules'
/// export_macros; a cheap read of its text).
size_t providerScore(const std::string &File, const RuleSet &Rules) {
  std::ifstream In(File, std::ios::binary);
  if (!In) return 0;
  std::string Text((std::istreambuf_iterator<char>(In)), std::istreambuf_iterator<char>());
  size_t N = 0;
  for (const std::string &Export : Rules.exportMacros())
    for (size_t P = Text.find(Export); P != std::string::npos; P = Text.find(Export, P + 1)) ++N;
  return N;
}

/// The fingerprint of each imported summary, by name.
using Fingerprints = std::map<std::string, std::string>;
Fingerprints fingerprintsOf(const std::map<std::string, FunctionRule> &Imported) {
  Fingerprints Out;
  for (auto &[N, F] : Imported) Out[N] = summaryFingerprint(F);
  return Out;
}

/// Were the summaries of \p Names that \p S was derived with (S.Imports) the ones in \p Now?
bool sameImports(const TUSummary &S, const std::vector<std::string> &Names,
                 const Fingerprints &Now) {
  for (const std::string &C : Names) {
    auto A = Now.find(C);
    auto B = S.Imports.find(C);
    if ((A == Now.end() ? "" : A->second) != (B == S.Imports.end() ? "" : B->second)) return false;
  }
  return true;
}

/// Strongly connected components of \p Edges (node -> nodes it depends on), callees first
/// (reverse topological order); \p Start is the order roots are tried in, \p Within orders the
/// files of one component. Iterative: a long chain must not exhaust the stack.
std::vector<size_t> calleesFirst(const std::vector<std::vector<size_t>> &Edges,
                                 const std::vector<size_t> &Start,
                                 const std::function<bool(size_t, size_t)> &Within) {
  const size_t N = Edges.size(), Unvisited = SIZE_MAX;
  std::vector<size_t> Index(N, Unvisited), Low(N, 0), Stack, Out;
  std::vector<bool> OnStack(N, false);
  std::vector<std::pair<size_t, size_t>> Call;  // (node, next edge)
  size_t Counter = 0;
  for (size_t Root : Start) {
    if (Index[Root] != Unvisited) continue;
    Call.push_back({Root, 0});
    while (!Call.empty()) {
      size_t V = Call.back().first;
      size_t &E = Call.back().second;
      if (E == 0 && Index[V] == Unvisited) {
        Index[V] = Low[V] = Counter++;
        Stack.push_back(V);
        OnStack[V] = true;
      }
      if (E < Edges[V].size()) {
        size_t W = Edges[V][E++];
        if (Index[W] == Unvisited) Call.push_back({W, 0});
        else if (OnStack[W]) Low[V] = std::min(Low[V], Index[W]);
        continue;
      }
      if (Low[V] == Index[V]) {
        size_t From = Out.size(), W;
        do {
          W = Stack.back();
          Stack.pop_back();
          OnStack[W] = false;
          Out.push_back(W);
        } while (W != V);
        std::stable_sort(Out.begin() + From, Out.end(), Within);
      }
      Call.pop_back();
      if (!Call.empty()) Low[Call.back().first] = std::min(Low[Call.back().first], Low[V]);
    }
  }
  return Out;
}

/// The plan of a round: which files it may parse, in which order, and what each waits for.
/// The files without a record (new, changed, or let in by the prefilter now) come first,
/// libraries first (Score), then the largest. Then every other file with a record, callees first: a
/// file's exported summaries depend on the functions its non-static functions reach in other files
/// (the record's summary_calls), so it starts once all the new files (what they define is not
/// known before) and every file it depends on that comes before it have finished. When its
/// turn comes it is parsed only if the summaries it depends on are no longer those it was
/// summarised with (the round's Skip): a chain of wrappers across files then settles in one
/// round rather than one round per link. Within a cycle of files, calls to functions that
/// already have a summary order them; then Score.
struct RoundPlan {
  std::vector<size_t> Files;               // command indices, by position
  std::vector<size_t> Order;               // positions, in start order
  std::vector<std::vector<size_t>> Waits;  // per position: earlier positions it depends on
};
RoundPlan planRound(const std::vector<size_t> &New, const std::vector<bool> &Passed,
                    const std::vector<CompileCommand> &Cmds,
                    const std::map<std::string, TUSummary> &Records,
                    const std::map<std::string, FunctionRule> &Imported,
                    const std::function<size_t(size_t)> &ScoreOf) {
  RoundPlan Plan;
  std::vector<size_t> Where(Cmds.size(), SIZE_MAX);
  std::vector<const TUSummary *> Rec(Cmds.size(), nullptr);
  for (size_t I : New) {
    Where[I] = Plan.Files.size();
    Plan.Files.push_back(I);
  }
  std::map<std::string, std::vector<size_t>> DefinedBy;  // name -> positions
  for (size_t I = 0; I < Cmds.size(); ++I) {
    if (!Passed[I] || Where[I] != SIZE_MAX) continue;
    auto It = Records.find(Cmds[I].File);
    if (It == Records.end()) continue;
    Rec[I] = &It->second;
    Where[I] = Plan.Files.size();
    Plan.Files.push_back(I);
    std::set<std::string> Names(It->second.Defines.begin(), It->second.Defines.end());
    for (const FunctionRule &F : It->second.Functions) Names.insert(F.Name);
    for (const std::string &N : Names) DefinedBy[N].push_back(Where[I]);
  }
  const size_t N = Plan.Files.size(), First = New.size();
  std::vector<std::vector<size_t>> All(N), Summarised(N);
  for (size_t K = First; K < N; ++K) {
    std::set<size_t> To, ToSummarised;
    for (const std::string &C : Rec[Plan.Files[K]]->SummaryCalls) {
      auto D = DefinedBy.find(C);
      if (D == DefinedBy.end()) continue;
      for (size_t T : D->second) {
        if (T == K) continue;
        To.insert(T);
        if (Imported.count(C)) ToSummarised.insert(T);
      }
    }
    All[K].assign(To.begin(), To.end());
    Summarised[K].assign(ToSummarised.begin(), ToSummarised.end());
  }
  std::vector<size_t> Score(N), Start;
  for (size_t K = 0; K < N; ++K) Score[K] = ScoreOf(Plan.Files[K]);
  auto ByScore = [&](size_t A, size_t B) { return Score[A] > Score[B]; };
  for (size_t K = First; K < N; ++K) Start.push_back(K);
  std::stable_sort(Start.begin(), Start.end(), ByScore);
  std::vector<size_t> Rank(N, 0);
  std::vector<size_t> Inner = calleesFirst(Summarised, Start, ByScore);
  for (size_t P = 0; P < Inner.size(); ++P) Rank[Inner[P]] = P;
  // New files: libraries first; the others (drivers, tests) largest first, so that a long one
  // does not start last and leave the other workers idle.
  std::vector<size_t> Size(First);
  for (size_t K = 0; K < First; ++K) {
    Plan.Order.push_back(K);
    Size[K] = Score[K] ? 0 : sourceSize(Cmds[Plan.Files[K]]);
  }
  std::stable_sort(Plan.Order.begin(), Plan.Order.end(), [&](size_t A, size_t B) {
    return Score[A] != Score[B] ? Score[A] > Score[B] : Size[A] > Size[B];
  });
  for (size_t K : calleesFirst(All, Start, [&](size_t A, size_t B) { return Rank[A] < Rank[B]; }))
    Plan.Order.push_back(K);
  std::vector<size_t> Pos(N);
  for (size_t P = 0; P < N; ++P) Pos[Plan.Order[P]] = P;
  Plan.Waits.resize(N);
  for (size_t K = First; K < N; ++K)
    for (size_t T : All[K])
      if (Pos[T] < Pos[K]) Plan.Waits[K].push_back(T);
  return Plan;
}

RuleSet rulesWith(const RuleSet &Rules, const std::map<std::string, FunctionRule> &Imported) {
  RuleSet R = Rules;
  for (auto &[Name, F] : Imported) R.addImported(F);
  return R;
}

}  // namespace

RuleSet withImports(const RuleSet &Rules, const WholeProgram &WP) {
  return rulesWith(Rules, WP.Imported);
}

void describeDatabase(const CompileDb &Db, WholeProgramOptions &Opts) {
  std::error_code EC;
  // Symlinks resolved: the same database reached by another path is the same.
  std::filesystem::path P = std::filesystem::weakly_canonical(Db.Path, EC);
  if (EC) P = std::filesystem::absolute(Db.Path, EC).lexically_normal();
  Opts.Database = P.string();
  std::set<std::string> Files;
  for (const CompileCommand &C : Db.Commands) Files.insert(C.File);
  Opts.DatabaseFiles = Files.size();
}

WholeProgram buildWholeProgram(const std::vector<CompileCommand> &Cmds, const RuleSet &Rules,
                               const RunOptions &Run, const WholeProgramOptions &Opts) {
  WholeProgram WP;
  const StoreIdentity Id{buildFingerprint(), rulesFingerprint(Rules), Opts.Database};
  SummaryStore Store;
  std::string StoreFile = Opts.StorePath.empty() ? "" : summaryFilePath(Opts.StorePath);
  // A store this run cannot use is refused and left as it is (never emptied nor overwritten):
  // it may be the whole tree's, and a run over one file cannot rebuild it.
  if (!StoreFile.empty() && !Store.load(StoreFile, Id, WP.StoreError)) return WP;
  std::map<std::string, TUSummary> &Records = Store.tus();

  std::vector<std::string> Keys(Cmds.size());
  std::set<std::string> InRun;
  for (size_t I = 0; I < Cmds.size(); ++I) {
    Keys[I] = tuKey(Cmds[I]);
    InRun.insert(Cmds[I].File);
  }
  if (!StoreFile.empty() && Opts.DatabaseFiles > InRun.size() && !Opts.SolvedStore) {
    bool KnowsOthers = false;
    for (auto &[File, S] : Records) KnowsOthers = KnowsOthers || !InRun.count(File);
    if (!KnowsOthers)
      WP.Warnings.push_back(StoreFile + ": no summaries of the other " +
                            std::to_string(Opts.DatabaseFiles - InRun.size()) +
                            " files of the compile database yet; run once over the whole "
                            "database with this --summaries for cross-file findings");
  }
  // Records of this run's files are valid only with the same key.
  std::vector<bool> Fresh(Cmds.size(), false), Passed(Cmds.size(), false);
  for (size_t I = 0; I < Cmds.size(); ++I) {
    auto It = Records.find(Cmds[I].File);
    Fresh[I] = It != Records.end() && It->second.Key == Keys[I];
    if (It != Records.end() && !Fresh[I] && Opts.SolvedStore) {
      WP.StoreError = StoreFile + ": stale: " + Cmds[I].File +
                      " (or a header it includes) changed since the store was written; run "
                      "the summary stages and `krefcheck summaries merge` again";
      return WP;
    }
    if (It != Records.end() && !Fresh[I]) Records.erase(It);
    // A file summarised before stays in (its definitions decide conflicts between modules).
    Passed[I] = Fresh[I];
  }

  std::set<size_t> Summarised;
  std::map<std::string, TUResult> Analysed;  // the last phase-1 run of each file
  std::map<size_t, size_t> Scores;
  auto ScoreOf = [&](size_t I) {
    auto It = Scores.find(I);
    if (It == Scores.end()) It = Scores.emplace(I, providerScore(Cmds[I].File, Rules)).first;
    return It->second;
  };
  // The cap cuts cycles of summaries across files: it counts the rounds that parse a file
  // again. A round that only parses files new to the run (let in by the prefilter because a
  // function they call got a summary: a chain of wrappers in files that name no tracked API)
  // does not count; each file is new once, so those rounds end.
  unsigned Counted = 0;
  for (unsigned Round = 1;; ++Round) {
    std::vector<std::string> Conflicts;
    std::map<std::string, FunctionRule> Imported = mergeImports(Records, Conflicts);
    RuleSet R = rulesWith(Rules, Imported);
    Prefilter PF(R);
    std::vector<size_t> Work;
    for (size_t I = 0; I < Cmds.size(); ++I) {
      if (!Passed[I]) {
        if (Run.Prefilter && !PF.mayMatter(Cmds[I].File)) continue;
        Passed[I] = true;
      }
      if (!Records.count(Cmds[I].File)) Work.push_back(I);
    }
    // New and changed TUs first; then those whose imported summaries are not the ones they
    // were summarised with (checked once the changed TUs have their new summaries).
    const bool ChangedFirst = !Work.empty();
    const Fingerprints ImportedFp = fingerprintsOf(Imported);
    for (size_t I = 0; !ChangedFirst && I < Cmds.size(); ++I) {
      if (!Passed[I]) continue;
      // The summaries of other TUs this one's exported summaries were derived with must still
      // be the same (its findings are checked against all its calls after the rounds).
      const TUSummary &S = Records.find(Cmds[I].File)->second;
      if (!sameImports(S, S.SummaryCalls, ImportedFp)) {
        Work.push_back(I);
        if (getenv("KREFCHECK_TRACE_STALE"))
          for (const std::string &C : S.SummaryCalls) {
            auto A = ImportedFp.find(C);
            auto B = S.Imports.find(C);
            if ((A == ImportedFp.end() ? "" : A->second) != (B == S.Imports.end() ? "" : B->second))
              std::cerr << "stale " << Cmds[I].File << " via " << C
                        << " now=" << (A == ImportedFp.end() ? "" : A->second)
                        << " then=" << (B == S.Imports.end() ? "" : B->second) << "\n";
          }
      }
    }
    if (!Work.empty() && Opts.SolvedStore) {
      // The check stage parses nothing: the store must be the solved one of this database.
      size_t Missing = 0;
      std::string First;
      for (size_t I : Work)
        if (!Records.count(Cmds[I].File) && Missing++ == 0) First = Cmds[I].File;
      if (Missing)
        WP.StoreError =
            StoreFile + ": no summaries of " + First +
            (Missing > 1 ? " and " + std::to_string(Missing - 1) + " other files" : "") +
            " of the database: not the merged store of this database (`krefcheck "
            "summaries merge` of every shard's part)";
      else
        WP.StoreError =
            StoreFile + ": not solved: the summaries of " + Cmds[Work[0]].File +
            (Work.size() > 1 ? " and " + std::to_string(Work.size() - 1) + " other files" : "") +
            " were made with other summaries than the store's; use the store "
            "`krefcheck summaries merge` writes";
      return WP;
    }
    if (Work.empty() || Counted >= Opts.MaxRounds) {
      WP.Imported = std::move(Imported);
      WP.Conflicts = std::move(Conflicts);
      WP.Rounds = Round - 1;
      WP.Settled = Work.empty();
      for (size_t I : Work) WP.Unsettled.push_back(Cmds[I].File);
      std::sort(WP.Unsettled.begin(), WP.Unsettled.end());
      if (!Work.empty() && Opts.WarnUnsettled)
        WP.Warnings.push_back("summaries did not settle after " + std::to_string(Opts.MaxRounds) +
                              " rounds (" + std::to_string(Work.size()) + " TUs still changing: " +
                              unsettledList(WP.Unsettled) + "); using the last");
      break;
    }
    // Every file with a record is a candidate: Skip parses only those found stale when their
    // turn comes (planRound).
    const size_t NewCount = ChangedFirst ? Work.size() : 0, StaleCount = Work.size();
    const RoundPlan Plan = planRound(ChangedFirst ? Work : std::vector<size_t>{}, Passed, Cmds,
                                     Records, Imported, ScoreOf);
    Work = Plan.Files;
    std::vector<CompileCommand> WorkCmds;
    for (size_t I : Work) WorkCmds.push_back(Cmds[I]);
    const bool Trace = getenv("KREFCHECK_TRACE_ROUNDS");  // debugging aid: what each round parses
    if (Trace)
      std::cerr << "round " << Round << ": " << (ChangedFirst ? StaleCount : 0) << " new, "
                << (ChangedFirst ? 0 : StaleCount) << " stale, " << Work.size() << " candidates, "
                << Imported.size() << " imported\n";
    RunOptions P1 = Run;
    P1.Prefilter = false;  // decided above, with the imported names
    // The first parse of a file also runs the checker (most files' findings are final then);
    // a file parsed again because another file's summary changed is only summarised, and
    // analysed once in phase 2 with the final summaries.
    std::vector<bool> Analyse(Work.size());
    for (size_t K = 0; K < Work.size(); ++K)
      Analyse[K] = Opts.Analyse && !Summarised.count(Work[K]) &&
                   (Opts.CheckOnly.empty() || Opts.CheckOnly.count(Cmds[Work[K]].File));
    // Summaries reach the files started after the one that produced them, within the round:
    // libraries (files that EXPORT_SYMBOL most) go first, so their users mostly start with
    // their final summaries and need no second parse. Each file records the summaries it was
    // started with; the next round re-parses it only if those are not the final ones.
    std::vector<bool> Finished(Work.size(), false);
    RuleSet Current = R;
    auto Fp = std::make_shared<const Fingerprints>(ImportedFp);
    std::vector<std::shared_ptr<const Fingerprints>> StartedWith(Work.size());
    LiveRules Live;
    Live.RulesFor = [&](size_t K) -> const RuleSet & {
      StartedWith[K] = Fp;
      return Current;
    };
    Live.SummariesOnly = [&](size_t K) { return !Analyse[K]; };
    size_t NewFinished = 0;
    Live.Ready = [&](size_t K) {
      // What a new file defines is known once it is parsed: the others wait for all of them.
      if (K >= NewCount && NewFinished < NewCount) return false;
      for (size_t T : Plan.Waits[K])
        if (!Finished[T]) return false;
      return true;
    };
    Live.Skip = [&](size_t K) {
      if (K < NewCount) return false;
      const TUSummary &S = Records.find(Cmds[Work[K]].File)->second;
      if (!sameImports(S, S.SummaryCalls, *Fp)) return false;
      Finished[K] = true;
      return true;
    };
    bool Reparsed = false;
    Live.OnResult = [&](size_t K, TUResult &Res) {
      if (Trace) std::cerr << "  " << Cmds[Work[K]].File << "\n";
      Reparsed = Reparsed || Summarised.count(Work[K]);
      Finished[K] = true;
      if (K < NewCount) ++NewFinished;
      size_t I = Work[K];
      TUSummary S;
      S.File = Cmds[I].File;
      S.Key = Keys[I];
      S.Ok = Res.Ok;
      S.Error = Res.Error;
      S.Functions = std::move(Res.Exported);
      S.Calls = std::move(Res.ExternalCalls);
      S.SummaryCalls = std::move(Res.SummaryCalls);
      const Fingerprints &Then = StartedWith[K] ? *StartedWith[K] : *Fp;
      for (const std::string &C : S.Calls) {
        auto It = Then.find(C);
        if (It != Then.end()) S.Imports[C] = It->second;
      }
      S.ExportSymbols = std::move(Res.ExportSymbols);
      S.Defines = std::move(Res.ExternalDefs);
      S.ReleasedFields = std::move(Res.ReleasedFields);
      S.Relevant = Res.Analysed;
      bool Teaches = !S.Functions.empty() || !S.Defines.empty();
      Records[S.File] = std::move(S);
      Summarised.insert(I);
      // A failure is final: phase 2 does not run the file again (one --tu-timeout, one line).
      // (A shard keeps only its own files' results: another shard reports the others.)
      if (Analyse[K] || (!Res.Ok && (Opts.CheckOnly.empty() || Opts.CheckOnly.count(Cmds[I].File))))
        Analysed[Cmds[I].File] = std::move(Res);
      else Analysed.erase(Cmds[I].File);
      if (!Teaches) return;
      std::vector<std::string> Ignored;
      std::map<std::string, FunctionRule> Now = mergeImports(Records, Ignored);
      auto NowFp = std::make_shared<const Fingerprints>(fingerprintsOf(Now));
      if (*NowFp == *Fp) return;
      Fp = NowFp;
      Current = rulesWith(Rules, Now);
    };
    runAll(WorkCmds, R, P1, Plan.Order, Live);
    if (Reparsed) ++Counted;
  }

  const Fingerprints FinalFp = fingerprintsOf(WP.Imported);
  for (auto &[File, S] : Records) {
    if (!S.Ok) continue;
    WP.Defined.insert(S.Defines.begin(), S.Defines.end());
    for (const FunctionRule &F : S.Functions) WP.Defined.insert(F.Name);
    WP.ReleasedFields.insert(S.ReleasedFields.begin(), S.ReleasedFields.end());
  }
  for (size_t I = 0; I < Cmds.size(); ++I) {
    auto It = Records.find(Cmds[I].File);
    if (!Passed[I]) {
      WP.Irrelevant.insert(Cmds[I].File);
      if (It != Records.end()) Records.erase(It);
      continue;
    }
    if (It == Records.end()) continue;
    // No function the checker would analyse, as counted with the summaries the file was parsed
    // with: that holds for the final ones only if those it calls are the same.
    if (It->second.Ok && It->second.Relevant == 0 &&
        sameImports(It->second, It->second.Calls, FinalFp))
      WP.Irrelevant.insert(Cmds[I].File);
    WP.Records[Cmds[I].File] = It->second;
  }
  // A file analysed in phase 1 with the summaries that are final keeps its findings; a file
  // that failed keeps its error.
  for (auto &[File, Res] : Analysed) {
    auto It = WP.Records.find(File);
    if (It != WP.Records.end() && (!Res.Ok || sameImports(It->second, It->second.Calls, FinalFp)))
      WP.Final[File] = std::move(Res);
  }
  WP.Parsed = Summarised.size();
  WP.Reused = 0;
  for (size_t I = 0; I < Cmds.size(); ++I)
    if (Passed[I] && !Summarised.count(I)) ++WP.Reused;

  if (!StoreFile.empty() && !Opts.SolvedStore) {
    // A TU that failed (does not parse, crashed, timed out) is tried again next time.
    for (auto It = Records.begin(); It != Records.end();)
      It = It->second.Ok || Opts.KeepFailed ? std::next(It) : Records.erase(It);
    // Entries of the files of this run are refreshed (or dropped); every other file keeps
    // its entry.
    std::string Error;
    if (!Store.save(StoreFile, Id, InRun, Error)) WP.Warnings.push_back(Error);
  }
  return WP;
}

void dropKnownCallees(std::vector<Finding> &Findings, const std::set<std::string> &Defined) {
  for (Finding &F : Findings)
    F.Path.erase(std::remove_if(F.Path.begin(), F.Path.end(),
                                [&](const PathStep &S) {
                                  return S.Kind == StepKind::Unsummarised &&
                                         Defined.count(S.Callee);
                                }),
                 F.Path.end());
}

void dropReleasedElsewhere(std::vector<Finding> &Findings, const std::set<std::string> &Released) {
  if (Released.empty()) return;
  Findings.erase(std::remove_if(Findings.begin(), Findings.end(),
                                [&](const Finding &F) {
                                  return !F.HeldField.empty() && Released.count(F.HeldField);
                                }),
                 Findings.end());
}

}  // namespace krefcheck
