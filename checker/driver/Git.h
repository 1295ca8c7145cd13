// The two git commands patch mode needs, run with llvm::sys::ExecuteAndWait (an argument
// vector, no shell: a path or revision is never quoted or interpreted).
#pragma once

#include <string>

namespace krefcheck {

/// `git -C Dir rev-parse --show-toplevel` ("" outside a work tree or without git).
std::string gitTopLevel(const std::string &Dir);

/// The content of Path (relative to Root, which need not be the top of the work tree) at
/// revision Rev: `git -C Root show Rev:./Path`. False when git fails.
bool gitShow(const std::string &Root, const std::string &Rev, const std::string &Path,
             std::string &Out);

}  // namespace krefcheck
