// The bad-input corpus (tests/badinput/manifest.txt): every entry runs the krefcheck binary and
// must end with exit status 2 (or the manifest's), exactly one "krefcheck: error:" line naming
// the input, no crash banner and no death by a signal. Also: a SIGTERM to a run stops its workers.
#include "driver/Patch.h"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;

const std::string Corpus = std::string(KREFCHECK_SOURCE_DIR) + "/tests/badinput";

struct BadInput {
  int Line = 0;  // in manifest.txt
  std::string Category, Input, Substring;
  int Exit = 2;
  std::vector<std::string> Args;
  std::string Stdin;  // "" or a file fed to stdin
};

std::string trim(const std::string &S) {
  size_t B = S.find_first_not_of(" \t"), E = S.find_last_not_of(" \t\r");
  return B == std::string::npos ? "" : S.substr(B, E - B + 1);
}

std::string substitute(std::string W, const std::string &Input) {
  auto Rep = [&](const std::string &From, const std::string &To) {
    for (size_t P; (P = W.find(From)) != std::string::npos;) W.replace(P, From.size(), To);
  };
  Rep("{input}", Corpus + "/" + Input);
  Rep("{ok}", Corpus + "/ok.c");
  Rep("{dir}", Corpus);
  return W;
}

std::vector<BadInput> loadManifest() {
  std::vector<BadInput> Out;
  std::ifstream In(Corpus + "/manifest.txt");
  if (!In) {
    ADD_FAILURE() << "cannot read " << Corpus << "/manifest.txt";
    return Out;
  }
  int N = 0;
  for (std::string L; std::getline(In, L);) {
    ++N;
    if (trim(L).empty() || trim(L)[0] == '#') continue;
    std::vector<std::string> F;
    for (size_t P = 0;;) {
      size_t Q = L.find(" | ", P);
      F.push_back(trim(L.substr(P, Q == std::string::npos ? std::string::npos : Q - P)));
      if (Q == std::string::npos) break;
      P = Q + 3;
    }
    BadInput B;
    B.Line = N;
    if (F.size() != 5) {
      B.Category = "malformed";
      B.Substring = "manifest line " + std::to_string(N) + " needs 5 fields";
      Out.push_back(B);
      continue;
    }
    B.Category = F[0];
    B.Input = F[1];
    B.Exit = std::atoi(F[2].c_str());
    B.Substring = F[3];
    std::istringstream Words(F[4]);
    for (std::string W; Words >> W;) {
      if (W == "<") {
        Words >> W;
        B.Stdin = substitute(W, B.Input);
        continue;
      }
      B.Args.push_back(substitute(W, B.Input));
    }
    Out.push_back(B);
  }
  return Out;
}

const std::vector<BadInput> &manifest() {
  static std::vector<BadInput> M = loadManifest();
  return M;
}

struct Outcome {
  bool Exited = false;
  int Status = -1;  // exit status, or the signal
  std::string Err;
};

/// Runs the binary without a shell (a signal death is seen as one), stderr captured.
Outcome run(const std::vector<std::string> &Args, const std::string &Stdin) {
  fs::path ErrFile = fs::temp_directory_path() / ("krefcheck-badinput-" + std::to_string(getpid()));
  pid_t Pid = fork();
  if (Pid == 0) {
    int Null = open("/dev/null", O_RDWR);
    int In = Stdin.empty() ? Null : open(Stdin.c_str(), O_RDONLY);
    int Err = open(ErrFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (In < 0 || Err < 0) _exit(127);
    dup2(In, 0);
    dup2(Null, 1);
    dup2(Err, 2);
    if (chdir(fs::temp_directory_path().c_str()) != 0) _exit(127);
    std::vector<char *> Argv{const_cast<char *>(KREFCHECK_BINARY)};
    for (const std::string &A : Args) Argv.push_back(const_cast<char *>(A.c_str()));
    Argv.push_back(nullptr);
    execv(KREFCHECK_BINARY, Argv.data());
    _exit(127);
  }
  Outcome O;
  int St = 0;
  auto Deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (waitpid(Pid, &St, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > Deadline) {
      kill(Pid, SIGKILL);
      waitpid(Pid, &St, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  O.Exited = WIFEXITED(St);
  O.Status = O.Exited ? WEXITSTATUS(St) : WTERMSIG(St);
  std::ifstream E(ErrFile);
  O.Err.assign(std::istreambuf_iterator<char>(E), std::istreambuf_iterator<char>());
  fs::remove(ErrFile);
  return O;
}

void PrintTo(const BadInput &B, std::ostream *OS) {
  *OS << "manifest line " << B.Line << " (" << B.Category << " " << B.Input << ")";
}

class BadInputTest : public ::testing::TestWithParam<BadInput> {};

TEST_P(BadInputTest, OneCleanErrorLine) {
  const BadInput &B = GetParam();
  ASSERT_NE(B.Category, "malformed") << B.Substring;
  if (B.Input != "-" && B.Input.find("no-such") == std::string::npos) {
    ASSERT_TRUE(fs::exists(Corpus + "/" + B.Input))
        << "manifest line " << B.Line << ": " << B.Input;
  }
  Outcome O = run(B.Args, B.Stdin);
  SCOPED_TRACE("manifest line " + std::to_string(B.Line) + ", stderr:\n" + O.Err);
  ASSERT_TRUE(O.Exited) << "killed by signal " << O.Status;
  EXPECT_EQ(O.Status, B.Exit);
  for (const char *Crash : {"PLEASE submit", "Stack dump", "terminate called", "internal error"})
    EXPECT_EQ(O.Err.find(Crash), std::string::npos) << Crash;
  std::vector<std::string> Errors;
  std::istringstream In(O.Err);
  for (std::string L; std::getline(In, L);)
    if (L.rfind("krefcheck: error:", 0) == 0) Errors.push_back(L);
  ASSERT_EQ(Errors.size(), 1u);
  EXPECT_NE(Errors[0].find(B.Substring), std::string::npos) << "expected: " << B.Substring;
  if (B.Input != "-" && B.Stdin.empty()) {  // the line names the input
    EXPECT_NE(Errors[0].find(fs::path(B.Input).filename().string()), std::string::npos);
  }
}

std::string caseName(const ::testing::TestParamInfo<BadInput> &I) {
  std::string N = I.param.Category + "_" + std::to_string(I.param.Line);
  for (char &C : N)
    if (!isalnum(static_cast<unsigned char>(C))) C = '_';
  return N;
}

INSTANTIATE_TEST_SUITE_P(Corpus, BadInputTest, ::testing::ValuesIn(manifest()), caseName);

TEST(BadInputCorpus, CoversEveryCategory) {
  std::map<std::string, int> Count;
  for (const BadInput &B : manifest()) ++Count[B.Category];
  for (const char *C : {"rules", "diff", "baseline", "suppressions", "merge", "cli"})
    EXPECT_GE(Count[C], 10) << C;
}

// The control: a well-formed shard of the same shape merges, so the merge cases above fail for
// their defect alone.
TEST(BadInputCorpus, ValidShardMerges) {
  Outcome O = run({"merge", Corpus + "/merge/valid-shard.json"}, "");
  ASSERT_TRUE(O.Exited);
  EXPECT_EQ(O.Status, 1) << O.Err;  // its one finding
  EXPECT_EQ(O.Err.find("error"), std::string::npos) << O.Err;
  EXPECT_NE(O.Err.find("1 files: 1 analysed, 0 skipped (nothing to analyse), 0 failed; 1 finding"),
            std::string::npos)
      << O.Err;
}

// ---------------------------------------------------------------------------------------------
// The diff parser directly: sizes the corpus does not hold.

TEST(BadInputDiff, LongTextAfterHunkHeader) {
  // std::regex recursed once per character here: 30 kB of text overflowed the stack.
  std::string D = "--- a/x.c\n+++ b/x.c\n@@ -3 +3 @@ " + std::string(4 << 20, 'x') + "\n-a\n+b\n";
  std::vector<krefcheck::FileChange> C;
  std::string Err;
  ASSERT_TRUE(krefcheck::parseUnifiedDiff(D, "long.diff", C, Err)) << Err;
  ASSERT_EQ(C.size(), 1u);
  EXPECT_EQ(C[0].Lines, (std::set<unsigned>{3}));
}

TEST(BadInputDiff, NumbersAndCounts) {
  auto Error = [](const std::string &Hunk) {
    std::vector<krefcheck::FileChange> C;
    std::string Err;
    EXPECT_FALSE(krefcheck::parseUnifiedDiff("--- a/x.c\n+++ b/x.c\n" + Hunk, "p", C, Err));
    return Err;
  };
  EXPECT_EQ(Error("@@ -9223372036854775808 +1 @@\n-a\n+b\n"),
            "p:3: malformed hunk header '@@ -9223372036854775808 +1 @@'");
  EXPECT_EQ(Error("@@ -1,2 +1,2 @@\n a\n-b\n+c\n d\n"), "p:7: hunk is longer than its header says");
  EXPECT_EQ(Error("@@ -1 +1 @@\n-a\n+b\n+c\n"), "p:6: hunk is longer than its header says");
  EXPECT_EQ(Error("@@ -1,0 +1,0 @@\n"), "p:3: hunk header counts no lines");
  EXPECT_EQ(Error("@@ -0,1 +1 @@\n-a\n+b\n"),
            "p:3: hunk header starts at line 0 with a non-zero count");
  // What ends a hunk normally: the format-patch signature, "\ No newline", a next file.
  std::vector<krefcheck::FileChange> C;
  std::string Err;
  EXPECT_TRUE(krefcheck::parseUnifiedDiff(
      "--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-a\n+b\n\\ No newline at end of file\n"
      "--- a/y.c\n+++ b/y.c\n@@ -1 +1 @@\n-a\n+b\n-- \n2.39.5\n",
      "ok", C, Err))
      << Err;
  EXPECT_EQ(C.size(), 2u);
  C.clear();
  EXPECT_FALSE(krefcheck::parseUnifiedDiff("just some text\n", "t", C, Err));
  EXPECT_EQ(Err, "t: not a patch: no '---'/'+++' file header and no 'diff' line");
  EXPECT_TRUE(krefcheck::parseUnifiedDiff("", "empty", C, Err)) << "no change is a valid patch";
}

// ---------------------------------------------------------------------------------------------
// Signals: a SIGTERM to krefcheck ends its worker processes too.

std::vector<pid_t> childrenOf(pid_t Parent) {
  std::vector<pid_t> Out;
  for (const auto &E : fs::directory_iterator("/proc")) {
    std::string Name = E.path().filename().string();
    if (Name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream S(E.path() / "stat");
    std::string Stat((std::istreambuf_iterator<char>(S)), std::istreambuf_iterator<char>());
    size_t P = Stat.rfind(')');
    if (P == std::string::npos) continue;
    std::istringstream F(Stat.substr(P + 2));
    char State;
    long PPid;
    F >> State >> PPid;
    if (PPid == Parent) Out.push_back(std::stoi(Name));
  }
  return Out;
}

/// Alive: exists and is not a zombie.
bool alive(pid_t Pid) {
  std::ifstream S("/proc/" + std::to_string(Pid) + "/stat");
  std::string Stat((std::istreambuf_iterator<char>(S)), std::istreambuf_iterator<char>());
  size_t P = Stat.rfind(')');
  return P != std::string::npos && P + 2 < Stat.size() && Stat[P + 2] != 'Z' && Stat[P + 2] != 'X';
}

void stopWorkersOn(int Sig) {
  // KREFCHECK_FAULT_INJECT (Runner.cpp, test-only) makes the worker for ok.c hang forever.
  pid_t Pid = fork();
  if (Pid == 0) {
    setenv("KREFCHECK_FAULT_INJECT", "hang:ok.c", 1);
    signal(Sig, SIG_DFL);  // not ignored even when the test runs in the background
    int Null = open("/dev/null", O_RDWR);
    dup2(Null, 0);
    dup2(Null, 1);
    dup2(Null, 2);
    execl(KREFCHECK_BINARY, KREFCHECK_BINARY, "--no-prefilter", "-j", "1", "--tu-timeout", "600",
          (Corpus + "/ok.c").c_str(), "--", "-c", static_cast<char *>(nullptr));
    _exit(127);
  }
  ASSERT_GT(Pid, 0);
  std::vector<pid_t> Workers;
  for (int I = 0; I < 1000 && Workers.empty(); ++I) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    Workers = childrenOf(Pid);
  }
  ASSERT_EQ(Workers.size(), 1u) << "no worker started";
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the worker is in its hang
  kill(Pid, Sig);
  int St = 0;
  auto Deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (waitpid(Pid, &St, WNOHANG) == 0 && std::chrono::steady_clock::now() < Deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  bool ParentGone = kill(Pid, 0) != 0;
  if (!ParentGone) {
    kill(Pid, SIGKILL);
    waitpid(Pid, &St, 0);
  }
  EXPECT_TRUE(ParentGone) << "krefcheck did not stop on signal " << Sig;
  EXPECT_FALSE(WIFEXITED(St) && WEXITSTATUS(St) == 0) << "an interrupted run must not succeed";
  bool Orphan = false;
  for (int I = 0; I < 200; ++I) {  // SIGKILL is asynchronous: give it a moment
    Orphan = alive(Workers[0]);
    if (!Orphan) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_FALSE(Orphan) << "worker " << Workers[0] << " outlived krefcheck";
  if (Orphan) kill(Workers[0], SIGKILL);  // leave nothing behind
}

TEST(Signals, SigtermStopsWorkers) { stopWorkersOn(SIGTERM); }
TEST(Signals, SigintStopsWorkers) { stopWorkersOn(SIGINT); }

}  // namespace
