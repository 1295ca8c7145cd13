#include "run/Runner.h"

#include "report/TextReporter.h"
#include "rules/Rules.h"
#include "run/Prefilter.h"

#include "llvm/Support/Signals.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <map>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

namespace krefcheck {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

json resultToJson(const TUResult &R) {
  json J{{"file", R.File},
         {"ok", R.Ok},
         {"skipped", R.Skipped},
         {"error", R.Error},
         {"findings", R.Findings},
         {"functions", R.Functions},
         {"analysed", R.Analysed},
         {"summaries", R.Summaries},
         {"summary_lines", R.SummaryLines},
         {"seconds", R.Seconds}};
  if (!R.Exported.empty() || !R.ExternalCalls.empty() || !R.ExportSymbols.empty() ||
      !R.ExternalDefs.empty() || !R.ReleasedFields.empty()) {
    json Ex = json::array();
    for (const FunctionRule &F : R.Exported)
      Ex.push_back(json{{"rule", functionRuleToJson(F)}, {"origin", F.Origin}});
    J["exported"] = Ex;
    J["external_calls"] = R.ExternalCalls;
    J["summary_calls"] = R.SummaryCalls;
    J["export_symbols"] = R.ExportSymbols;
    J["external_defs"] = R.ExternalDefs;
    J["released_fields"] = R.ReleasedFields;
  }
  return J;
}

namespace {
/// A shard's numbers are taken as they are written by krefcheck only: a negative, fractional or
/// too large count or line is an error, not a wrapped or truncated value.
std::string shown(const json &V) {
  std::string D = V.dump();
  return D.size() > 40 ? D.substr(0, 40) + "..." : D;
}
void strictCount(const json &J, const char *Key) {
  const json &V = J.at(Key);
  if (!V.is_number_unsigned() || V.get<unsigned long long>() > 0xffffffffull)
    throw std::runtime_error(std::string("'") + Key + "' is " + shown(V) +
                             ", expected a whole number from 0 to 4294967295");
}
void strictLocation(const json &L) {
  strictCount(L, "line");
  strictCount(L, "column");
}
void strictResult(const json &J) {
  for (const char *K : {"functions", "analysed", "summaries"}) strictCount(J, K);
  const json &S = J.at("seconds");
  if (!S.is_number() || S.get<double>() < 0)
    throw std::runtime_error("'seconds' is " + shown(S) + ", expected a number >= 0");
  const std::vector<std::string> &Ids = allRuleIds();
  for (const json &F : J.at("findings")) {
    const json &Rule = F.at("rule");
    if (!Rule.is_string() ||
        std::find(Ids.begin(), Ids.end(), Rule.get<std::string>()) == Ids.end())
      throw std::runtime_error("unknown rule id " + shown(Rule));
    strictLocation(F.at("location"));
    strictLocation(F.at("acquire"));
    for (const json &P : F.at("path")) strictLocation(P.at("location"));
  }
}
}  // namespace

TUResult resultFromJson(const json &J) {
  TUResult R;
  strictResult(J);
  J.at("file").get_to(R.File);
  J.at("ok").get_to(R.Ok);
  J.at("skipped").get_to(R.Skipped);
  J.at("error").get_to(R.Error);
  J.at("findings").get_to(R.Findings);
  J.at("functions").get_to(R.Functions);
  J.at("analysed").get_to(R.Analysed);
  J.at("summaries").get_to(R.Summaries);
  J.at("summary_lines").get_to(R.SummaryLines);
  J.at("seconds").get_to(R.Seconds);
  if (J.contains("exported")) {
    for (const json &E : J.at("exported")) {
      FunctionRule F;
      std::string Error;
      if (!functionRuleFromJson(E.at("rule"), R.File, F, Error)) throw std::runtime_error(Error);
      F.Origin = E.at("origin").get<std::string>();
      R.Exported.push_back(std::move(F));
    }
    J.at("external_calls").get_to(R.ExternalCalls);
    J.at("summary_calls").get_to(R.SummaryCalls);
    J.at("export_symbols").get_to(R.ExportSymbols);
    J.at("external_defs").get_to(R.ExternalDefs);
    J.at("released_fields").get_to(R.ReleasedFields);
  }
  return R;
}

namespace {
/// Test-only fault injection, so the isolation of crashing and hanging TUs is tested for real:
/// KREFCHECK_FAULT_INJECT=crash:<substring> or hang:<substring> of the file name.
void injectFault(const std::string &File) {
  const char *F = getenv("KREFCHECK_FAULT_INJECT");
  if (!F) return;
  std::string Spec = F;
  auto Colon = Spec.find(':');
  if (Colon == std::string::npos) return;
  std::string Kind = Spec.substr(0, Colon), Pat = Spec.substr(Colon + 1);
  if (Pat.empty() || File.find(Pat) == std::string::npos) return;
  if (Kind == "crash") *static_cast<volatile int *>(nullptr) = 0;
  if (Kind == "hang")
    for (;;) pause();
}

// The live workers, for the handler of SIGTERM/SIGINT/SIGHUP: it kills them before this process
// dies of the signal, so no worker outlives an interrupted run.
std::atomic<pid_t> WorkerPids[MaxJobs];
constexpr int StopSignals[] = {SIGTERM, SIGINT, SIGHUP};

void killWorkers(void * = nullptr) {
  for (std::atomic<pid_t> &P : WorkerPids) {
    pid_t Pid = P.load();
    if (Pid > 0) kill(Pid, SIGKILL);
  }
}

extern "C" void stopWorkers(int Sig) {
  killWorkers();
  static const char Msg[] = "krefcheck: interrupted: worker processes stopped\n";
  ssize_t Ignored = write(2, Msg, sizeof Msg - 1);
  (void)Ignored;
  signal(Sig, SIG_DFL);
  raise(Sig);  // delivered when the handler returns: the exit status shows the signal
}

/// While alive: the stop signals kill the workers first. Blocks them around fork() so a worker
/// is always registered before a signal can be handled.
class WorkerGuard {
public:
  WorkerGuard() {
    // A crash of this process (LLVM's handler for SIGSEGV, SIGABRT...) takes the workers along.
    static bool OnCrash = (llvm::sys::AddSignalHandler(killWorkers, nullptr), true);
    (void)OnCrash;
    struct sigaction SA;
    memset(&SA, 0, sizeof SA);
    SA.sa_handler = stopWorkers;
    sigemptyset(&SA.sa_mask);
    for (size_t I = 0; I < std::size(StopSignals); ++I) {
      sigaction(StopSignals[I], nullptr, &Old[I]);
      if (Old[I].sa_handler != SIG_IGN) sigaction(StopSignals[I], &SA, nullptr);  // nohup stays
    }
    sigemptyset(&Stop);
    for (int S : StopSignals) sigaddset(&Stop, S);
  }
  ~WorkerGuard() {
    for (size_t I = 0; I < std::size(StopSignals); ++I) sigaction(StopSignals[I], &Old[I], nullptr);
  }
  void block() { sigprocmask(SIG_BLOCK, &Stop, nullptr); }
  void unblock() { sigprocmask(SIG_UNBLOCK, &Stop, nullptr); }
  /// In the worker: default dispositions, signals unblocked.
  void inChild() {
    for (int S : StopSignals) signal(S, SIG_DFL);
    unblock();
  }
  static void add(pid_t Pid) {
    for (std::atomic<pid_t> &P : WorkerPids) {
      pid_t Free = 0;
      if (P.compare_exchange_strong(Free, Pid)) return;
    }
  }
  static void remove(pid_t Pid) {
    for (std::atomic<pid_t> &P : WorkerPids) {
      pid_t Mine = Pid;
      if (P.compare_exchange_strong(Mine, 0)) return;
    }
  }

private:
  struct sigaction Old[std::size(StopSignals)];
  sigset_t Stop;
};

struct Worker {
  size_t Index;
  int Fd;
  std::string Buf;
  Clock::time_point Start;
  bool Eof = false;
  bool Killed = false;
};

std::string describeStatus(int Status) {
  if (WIFSIGNALED(Status)) {
    int Sig = WTERMSIG(Status);
    return std::string("crashed inside the analysis (signal ") + std::to_string(Sig) + ", " +
           strsignal(Sig) + ")";
  }
  if (WIFEXITED(Status)) return "worker exited with status " + std::to_string(WEXITSTATUS(Status));
  return "worker failed";
}
}  // namespace

size_t sourceSize(const CompileCommand &C) {
  std::error_code EC;
  uintmax_t N = std::filesystem::file_size(C.File, EC);
  return EC ? 0 : static_cast<size_t>(N);
}

std::vector<TUResult> runAll(const std::vector<CompileCommand> &Cmds, const RuleSet &Rules,
                             const RunOptions &Opts) {
  // The largest files first: with J workers, a long file started last is a tail with the other
  // workers idle (drivers/of/unittest.c). Results stay in the order of Cmds.
  std::vector<size_t> Order(Cmds.size()), Size(Cmds.size());
  for (size_t I = 0; I < Cmds.size(); ++I) {
    Order[I] = I;
    Size[I] = sourceSize(Cmds[I]);
  }
  std::stable_sort(Order.begin(), Order.end(),
                   [&](size_t A, size_t B) { return Size[A] > Size[B]; });
  return runAll(Cmds, Rules, Opts, Order, LiveRules{});
}

std::vector<TUResult> runAll(const std::vector<CompileCommand> &Cmds, const RuleSet &Rules,
                             const RunOptions &Opts, const std::vector<size_t> &Order,
                             const LiveRules &Live) {
  auto rulesFor = [&](size_t I) -> const RuleSet & {
    return Live.RulesFor ? Live.RulesFor(I) : Rules;
  };
  auto tuOptions = [&](size_t I) {
    TUOptions O = Opts.TU;
    if (Live.SummariesOnly) O.SummariesOnly = Live.SummariesOnly(I);
    return O;
  };
  auto finished = [&](size_t I, TUResult &R) {
    if (Live.OnResult) Live.OnResult(I, R);
  };
  std::vector<TUResult> Results(Cmds.size());
  size_t Done = 0, Findings = 0, DoneAtStart = 0;
  const Clock::time_point Started = Clock::now();
  // Files that cannot involve a tracked API are settled before any worker starts.
  std::vector<bool> Settled(Cmds.size(), false);
  if (Opts.Prefilter) {
    Prefilter PF(Rules);
    for (size_t I = 0; I < Cmds.size(); ++I) {
      if (PF.mayMatter(Cmds[I].File)) continue;
      Results[I].File = Cmds[I].File;
      Results[I].Skipped = true;
      Settled[I] = true;
      ++Done;
    }
  }
  DoneAtStart = Done;
  auto Progress = [&](const std::string &Current) {
    if (!Opts.Progress) return;
    std::string Eta;
    size_t Worked = Done - DoneAtStart;
    if (Worked > 0 && Done < Cmds.size()) {
      double Secs = std::chrono::duration<double>(Clock::now() - Started).count();
      long Left = static_cast<long>(Secs / Worked * (Cmds.size() - Done));
      Eta = "  ETA " + std::to_string(Left / 60) + "m" + (Left % 60 < 10 ? "0" : "") +
            std::to_string(Left % 60) + "s";
    }
    std::cerr << "\r\033[K[" << Done << "/" << Cmds.size() << "] " << Findings << " findings" << Eta
              << "  " << displayPath(Current) << std::flush;
  };

  if (!Opts.Isolate) {
    for (size_t I : Order) {
      if (Settled[I]) continue;
      if (Live.Skip && Live.Skip(I)) {
        ++Done;
        continue;
      }
      Progress(Cmds[I].File);
      Results[I] = analyzeTU(Cmds[I], rulesFor(I), tuOptions(I));
      finished(I, Results[I]);
      ++Done;
      Findings += Results[I].Findings.size();
    }
    if (Opts.Progress) std::cerr << "\r\033[K";
    return Results;
  }

  std::map<pid_t, Worker> Running;
  size_t Pos = 0, Next = 0;
  unsigned Jobs = std::min(Opts.Jobs ? Opts.Jobs : 1, MaxJobs);
  WorkerGuard Guard;
  std::cout.flush();
  std::cerr.flush();
  while (Pos < Order.size() || !Running.empty()) {
    while (Pos < Order.size() && Running.size() < Jobs) {
      if (Live.Ready && !Running.empty() && !Settled[Order[Pos]] && !Live.Ready(Order[Pos])) break;
      Next = Order[Pos++];
      if (Settled[Next]) continue;
      if (Live.Skip && Live.Skip(Next)) {
        ++Done;
        continue;
      }
      int P[2];
      if (pipe(P) != 0) {
        Results[Next].File = Cmds[Next].File;
        Results[Next].Ok = false;
        Results[Next].Error = std::string("cannot start a worker: ") + strerror(errno);
        ++Done;
        continue;
      }
      const RuleSet &TURules = rulesFor(Next);
      Guard.block();
      pid_t Pid = fork();
      if (Pid == 0) {
        Guard.inChild();
        close(P[0]);
        // A crash ends this worker with its signal; the parent reports it in one line.
        llvm::sys::unregisterHandlers();
        injectFault(Cmds[Next].File);
        TUResult R;
        try {
          R = analyzeTU(Cmds[Next], TURules, tuOptions(Next));
        } catch (const std::exception &E) {
          R = TUResult();
          R.File = Cmds[Next].File;
          R.Ok = false;
          R.Error = std::string("internal error: ") + E.what();
        }
        // CBOR, not JSON text: it keeps strings that are not UTF-8 (Latin-1 file names).
        std::vector<uint8_t> Out = json::to_cbor(resultToJson(R));
        const uint8_t *D = Out.data();
        size_t Left = Out.size();
        while (Left) {
          ssize_t W = write(P[1], D, Left);
          if (W <= 0) {
            if (errno == EINTR) continue;
            _exit(3);
          }
          D += W;
          Left -= W;
        }
        close(P[1]);
        _exit(0);
      }
      if (Pid > 0) WorkerGuard::add(Pid);
      Guard.unblock();
      close(P[1]);
      if (Pid < 0) {
        close(P[0]);
        Results[Next].File = Cmds[Next].File;
        Results[Next].Ok = false;
        Results[Next].Error = std::string("cannot start a worker: ") + strerror(errno);
        ++Done;
        continue;
      }
      Running[Pid] = Worker{Next, P[0], {}, Clock::now()};
      Progress(Cmds[Next].File);
    }
    std::vector<pollfd> Fds;
    std::vector<pid_t> Pids;
    for (auto &[Pid, W] : Running) {
      if (W.Eof) continue;
      Fds.push_back({W.Fd, POLLIN, 0});
      Pids.push_back(Pid);
    }
    if (!Fds.empty()) poll(Fds.data(), Fds.size(), 200);
    for (size_t K = 0; K < Fds.size(); ++K) {
      if (!(Fds[K].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      Worker &W = Running[Pids[K]];
      char Buf[65536];
      ssize_t N = read(W.Fd, Buf, sizeof Buf);
      if (N > 0) W.Buf.append(Buf, N);
      else if (N == 0 || errno != EINTR) W.Eof = true;
    }
    for (auto It = Running.begin(); It != Running.end();) {
      pid_t Pid = It->first;
      Worker &W = It->second;
      double Age = std::chrono::duration<double>(Clock::now() - W.Start).count();
      if (!W.Eof && !W.Killed && Opts.TUTimeoutSeconds > 0 && Age > Opts.TUTimeoutSeconds) {
        kill(Pid, SIGKILL);
        W.Killed = true;
      }
      int Status = 0;
      pid_t R = waitpid(Pid, &Status, W.Eof || W.Killed ? 0 : WNOHANG);
      if (R == 0) {
        ++It;
        continue;
      }
      WorkerGuard::remove(Pid);
      // Drain what is left.
      char Buf[65536];
      ssize_t N;
      while (!W.Killed && (N = read(W.Fd, Buf, sizeof Buf)) > 0) W.Buf.append(Buf, N);
      close(W.Fd);
      TUResult &Res = Results[W.Index];
      bool Parsed = false;
      if (!W.Killed && WIFEXITED(Status) && WEXITSTATUS(Status) == 0) {
        try {
          Res = resultFromJson(json::from_cbor(W.Buf));
          Parsed = true;
        } catch (const std::exception &E) {
          Res.Error = std::string("worker sent a malformed result: ") + E.what();
        }
      }
      if (!Parsed) {
        Res.File = Cmds[W.Index].File;
        Res.Ok = false;
        if (W.Killed)
          Res.Error =
              "timed out after " + std::to_string((int)Opts.TUTimeoutSeconds) + " s (--tu-timeout)";
        else if (Res.Error.empty()) Res.Error = describeStatus(Status);
        Res.Seconds = Age;
      }
      finished(W.Index, Res);
      ++Done;
      Findings += Res.Findings.size();
      Progress(Cmds[W.Index].File);
      It = Running.erase(It);
    }
  }
  if (Opts.Progress) std::cerr << "\r\033[K" << std::flush;
  return Results;
}

}  // namespace krefcheck
