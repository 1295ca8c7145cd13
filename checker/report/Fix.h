// The unified diff written by --fix-patch. The fixes are made by the analysis from the AST
// (analysis/FixBuilder) and carried in each Finding with the file text around them: the diff is
// built from those edits alone, without reading any source file.
#pragma once

#include <string>
#include <vector>

#include "findings/Finding.h"

namespace krefcheck {

/// One unified diff (a/ b/ prefixes, paths relative to SrcRoot, 3 lines of context) with every
/// fix; a fix on a file outside SrcRoot, overlapping another fix, or whose carried text
/// disagrees with another fix's of the same file is left out and its file listed in Skipped.
std::string unifiedDiff(const std::vector<FixEdit> &Fixes, const std::string &SrcRoot,
                        std::vector<std::string> &Skipped);

}  // namespace krefcheck
