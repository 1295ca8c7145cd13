// The lowest layer: reading an input file the same strict way everywhere (rules, baselines,
// suppressions, shards, patches). Depends on nothing else of krefcheck.
#pragma once

#include <string>

namespace krefcheck {

/// Reads a whole input file. A directory, a missing or unreadable file: false, Error = the
/// reason ("is a directory", "No such file or directory"); the caller names path and kind.
bool readInputFile(const std::string &Path, std::string &Text, std::string &Error);

}  // namespace krefcheck
