// Strict readers for command-line values and input files: a bad value or an unreadable input
// is one error line naming it, never an exception or a silently lenient number.
#pragma once

#include <string>

#include "support/InputFile.h"  // readInputFile (here before it moved to support/)

namespace krefcheck {

/// "-j N": a whole number 1..MaxJobs (run/Runner.h), digits only. On error: false,
/// Error = "-j V: what".
bool parseJobs(const std::string &V, unsigned &Jobs, std::string &Error);

/// "--shard I/N": 1 <= I <= N <= 1000000, digits only.
bool parseShard(const std::string &V, unsigned &Index, unsigned &Count, std::string &Error);

/// "--tu-timeout SEC": a finite number of seconds > 0 and <= one week (decimals allowed).
bool parseTimeout(const std::string &V, double &Seconds, std::string &Error);

/// The crash banner names krefcheck, not LLVM's bug tracker (a crash in this process is ours).
void setCrashBanner();

}  // namespace krefcheck
