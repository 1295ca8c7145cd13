// `krefcheck rules infer -p BUILD -o inferred.json`: see infer/Infer.h and docs/rules-infer.md.
#pragma once

namespace krefcheck {

/// argv[First..] are the command's options. Returns the exit status.
int runRulesInfer(int argc, char **argv, int First);

}  // namespace krefcheck
