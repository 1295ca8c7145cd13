// Compiler-style text output: one warning line per finding, then `note:` lines for its path.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "findings/Finding.h"

namespace krefcheck {

/// Path as shown to the user: relative to the current directory when below it.
std::string displayPath(const std::string &Abs);

void printFinding(std::ostream &OS, const Finding &F);

}  // namespace krefcheck
