// Shared by the test suites: the rule set shipped in rules/, loaded once.
#pragma once

#include "rules/Rules.h"

#include <gtest/gtest.h>

#include <string>

namespace krefcheck {

inline const RuleSet &shippedRules() {
  static RuleSet Rules = [] {
    RuleSet R;
    std::string Err;
    if (!loadRules(R, std::string(KREFCHECK_SOURCE_DIR) + "/rules", {}, Err)) ADD_FAILURE() << Err;
    return R;
  }();
  return Rules;
}

}  // namespace krefcheck

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sys/wait.h>
#include <unistd.h>

namespace krefcheck {

/// The krefcheck binary run with Args (shell words) in Cwd: exit status, stdout, stderr.
struct CliOutcome {
  int Exit = -1;
  std::string Out, Err;
};

inline CliOutcome runCli(const std::string &Args, const std::string &Cwd = ".",
                         const std::string &Env = "") {
  namespace fs = std::filesystem;
  static int Seq = 0;
  fs::path Tmp = fs::temp_directory_path() /
                 ("krefcheck-cli-" + std::to_string(getpid()) + "-" + std::to_string(++Seq));
  fs::create_directories(Tmp);
  std::string OutF = (Tmp / "out").string(), ErrF = (Tmp / "err").string();
  std::string Cmd = "cd '" + Cwd + "' && " + Env + " " + std::string(KREFCHECK_BINARY) + " " +
                    Args + " >" + OutF + " 2>" + ErrF;
  int St = std::system(Cmd.c_str());
  CliOutcome R;
  R.Exit = WIFEXITED(St) ? WEXITSTATUS(St) : -1;
  auto Slurp = [](const std::string &P) {
    std::ifstream In(P);
    return std::string((std::istreambuf_iterator<char>(In)), std::istreambuf_iterator<char>());
  };
  R.Out = Slurp(OutF);
  R.Err = Slurp(ErrF);
  fs::remove_all(Tmp);
  return R;
}

}  // namespace krefcheck
