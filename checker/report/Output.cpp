#include "report/Output.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace krefcheck {

namespace {
std::string cannotWrite(const std::string &Name, int Err) {
  return Name + ": cannot write: " + std::strerror(Err);
}
}  // namespace

OutputSink::~OutputSink() {
  if (Fd >= 0 && !Stdout) close(Fd);
  if (Created && !Written) unlink(Path.c_str());
}

bool OutputSink::open(const std::string &P, std::string &Error) {
  Path = P;
  if (P.empty()) {
    Stdout = true;
    Name = "<stdout>";
    int Flags = fcntl(STDOUT_FILENO, F_GETFL);
    if (Flags < 0 || (Flags & O_ACCMODE) == O_RDONLY) {  // closed, or opened for reading
      Error = cannotWrite(Name, Flags < 0 ? errno : EBADF);
      return false;
    }
    Fd = STDOUT_FILENO;
    return true;
  }
  Name = P;
  struct stat St;
  bool Existed = stat(P.c_str(), &St) == 0;
  Fd = ::open(P.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
  if (Fd < 0) {
    Error = cannotWrite(Name, errno);
    return false;
  }
  Created = !Existed;
  return true;
}

bool OutputSink::write(const std::string &Text, std::string &Error) {
  if (Fd < 0) {
    Error = cannotWrite(Name, EBADF);
    return false;
  }
  std::signal(SIGPIPE, SIG_IGN);
  Written = true;
  struct stat St;
  if (!Stdout && fstat(Fd, &St) == 0 && S_ISREG(St.st_mode) && ftruncate(Fd, 0) != 0) {
    Error = cannotWrite(Name, errno);
    return false;
  }
  const char *D = Text.data();
  size_t Left = Text.size();
  while (Left) {
    ssize_t W = ::write(Fd, D, Left);
    if (W < 0) {
      if (errno == EINTR) continue;
      Error = cannotWrite(Name, errno);
      return false;
    }
    D += W;
    Left -= size_t(W);
  }
  if (!Stdout) {
    int F = Fd;
    Fd = -1;
    if (close(F) != 0) {  // NFS and the like report a failed write at close
      Error = cannotWrite(Name, errno);
      return false;
    }
  }
  return true;
}

}  // namespace krefcheck
