#include "driver/Cli.h"

#include "run/Runner.h"  // MaxJobs

#include "llvm/Support/PrettyStackTrace.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <sys/stat.h>

namespace krefcheck {

namespace {

/// Digits only (no sign, no space, no junk), at most Max. "" or anything else: false.
bool wholeNumber(const std::string &S, unsigned long long Max, unsigned long long &Out) {
  if (S.empty()) return false;
  unsigned long long V = 0;
  for (char C : S) {
    if (C < '0' || C > '9') return false;
    V = V * 10 + static_cast<unsigned>(C - '0');
    if (V > Max) return false;  // checked at every digit: no overflow
  }
  Out = V;
  return true;
}

}  // namespace

bool parseJobs(const std::string &V, unsigned &Jobs, std::string &Error) {
  unsigned long long N = 0;
  if (!wholeNumber(V, MaxJobs, N) || N == 0) {
    Error = "-j '" + V + "': expected a whole number of jobs from 1 to " + std::to_string(MaxJobs);
    return false;
  }
  Jobs = static_cast<unsigned>(N);
  return true;
}

bool parseShard(const std::string &V, unsigned &Index, unsigned &Count, std::string &Error) {
  constexpr unsigned long long Max = 1000000;
  auto Slash = V.find('/');
  unsigned long long I = 0, N = 0;
  if (Slash == std::string::npos || !wholeNumber(V.substr(0, Slash), Max, I) ||
      !wholeNumber(V.substr(Slash + 1), Max, N) || I == 0 || N == 0 || I > N) {
    Error = "--shard '" + V + "': expected I/N with 1 <= I <= N <= " + std::to_string(Max);
    return false;
  }
  Index = static_cast<unsigned>(I);
  Count = static_cast<unsigned>(N);
  return true;
}

bool parseTimeout(const std::string &V, double &Seconds, std::string &Error) {
  constexpr double Max = 7 * 24 * 3600;
  // Digits with at most one decimal point: no sign, exponent, nan, inf or hex.
  bool Ok = !V.empty() && V != ".";
  int Dots = 0;
  for (char C : V)
    if (C == '.') ++Dots;
    else if (C < '0' || C > '9') Ok = false;
  double S = 0;
  if (Ok && Dots <= 1) S = std::strtod(V.c_str(), nullptr);
  if (!Ok || Dots > 1 || !(S > 0) || S > Max) {
    Error = "--tu-timeout '" + V + "': expected a number of seconds greater than 0 and at most " +
            std::to_string(static_cast<long>(Max)) + " (one week)";
    return false;
  }
  Seconds = S;
  return true;
}

void setCrashBanner() {
  llvm::setBugReportMsg("krefcheck crashed: this is a krefcheck bug; please report it with the "
                        "command line and the stack dump below.\n");
}

}  // namespace krefcheck
