#include "driver/Git.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"

#include <optional>
#include <vector>

namespace krefcheck {

namespace {

/// Runs git with Args; its stdout into Out (stdin and stderr: /dev/null). True on exit 0.
bool runGit(const std::vector<std::string> &Args, std::string &Out) {
  llvm::ErrorOr<std::string> Git = llvm::sys::findProgramByName("git");
  if (!Git) return false;
  llvm::SmallString<128> OutFile;
  if (llvm::sys::fs::createTemporaryFile("krefcheck-git", "out", OutFile)) return false;
  llvm::FileRemover Remove(OutFile);
  std::vector<llvm::StringRef> Argv = {"git"};
  for (const std::string &A : Args) Argv.push_back(A);
  std::optional<llvm::StringRef> Redirects[] = {llvm::StringRef(""), llvm::StringRef(OutFile),
                                                llvm::StringRef("")};
  int Status = llvm::sys::ExecuteAndWait(*Git, Argv, std::nullopt, Redirects);
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Buf =
      llvm::MemoryBuffer::getFile(OutFile, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!Buf) return false;
  Out.assign((*Buf)->getBufferStart(), (*Buf)->getBufferSize());
  return Status == 0;
}

}  // namespace

std::string gitTopLevel(const std::string &Dir) {
  std::string Out;
  if (!runGit({"-C", Dir, "rev-parse", "--show-toplevel"}, Out)) return {};
  while (!Out.empty() && (Out.back() == '\n' || Out.back() == '\r')) Out.pop_back();
  return Out;
}

bool gitShow(const std::string &Root, const std::string &Rev, const std::string &Path,
             std::string &Out) {
  // "./": relative to Root, which need not be the top of the git work tree.
  std::string Text;
  if (!runGit({"-C", Root, "show", Rev + ":./" + Path}, Text)) return false;
  Out += Text;
  return true;
}

}  // namespace krefcheck
