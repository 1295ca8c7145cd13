// Where the report goes (-o FILE, stdout, --fix-patch FILE): checked before the analysis, written
// once at the end, and every write checked, so that a full disk or a closed pipe is an error
// (one line with the OS reason) and never a silently short or empty report.
#pragma once

#include <string>

namespace krefcheck {

class OutputSink {
public:
  OutputSink() = default;
  OutputSink(const OutputSink &) = delete;
  OutputSink &operator=(const OutputSink &) = delete;
  /// Closes the file; removes it when open() created it and nothing was written (a run that
  /// stopped on an error before its report leaves no empty file behind).
  ~OutputSink();

  /// Opens Path for writing, stdout when Path is empty, without truncating an existing file
  /// yet. False with Error "<Path>: cannot write: <OS reason>" (a missing directory, no
  /// permission, a closed stdout).
  bool open(const std::string &Path, std::string &Error);
  bool isOpen() const { return Fd >= 0; }
  /// Replaces the content by Text (a file is truncated first). False with Error
  /// "<Path>: cannot write: <OS reason>" when a write fails (ENOSPC, EPIPE: SIGPIPE is
  /// ignored from here on so that a closed pipe is an error, not a silent death).
  bool write(const std::string &Text, std::string &Error);
  /// The name used in messages: the path, or "<stdout>".
  const std::string &name() const { return Name; }

private:
  int Fd = -1;
  bool Stdout = false, Created = false, Written = false;
  std::string Path, Name;
};

}  // namespace krefcheck
