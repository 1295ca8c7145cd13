#include "summaries/SummaryStore.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <unordered_map>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

namespace krefcheck {

using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr int FormatVersion = 2;  // 2: the header names the build and the database

struct Fnv {
  uint64_t H = 1469598103934665603ULL;
  void add(const std::string &S) {
    for (unsigned char C : S) {
      H ^= C;
      H *= 1099511628211ULL;
    }
    H ^= 0xff;  // separator: ("ab","c") != ("a","bc")
    H *= 1099511628211ULL;
  }
  std::string hex() const {
    char Buf[17];
    snprintf(Buf, sizeof Buf, "%016llx", static_cast<unsigned long long>(H));
    return Buf;
  }
};

/// One line of the store: any other text that is not UTF-8 (an error message, an origin) is
/// written with U+FFFD; it is only ever shown, never matched.
std::string storeLine(const json &J) {
  return J.dump(-1, ' ', false, json::error_handler_t::replace);
}

/// A path in the store: as JSON text when it is valid UTF-8, else also its bytes in hex under
/// Key + "_hex" (Latin-1 file names are kept exactly; nlohmann-json refuses to write them).
void putPath(json &J, const std::string &Key, const std::string &Path) {
  try {
    (void)json(Path).dump();
    J[Key] = Path;
  } catch (const json::type_error &) {
    static const char *Hex = "0123456789abcdef";
    std::string H;
    for (unsigned char C : Path) {
      H += Hex[C >> 4];
      H += Hex[C & 15];
    }
    J[Key] = json::parse(json(Path).dump(-1, ' ', false, json::error_handler_t::replace));
    J[Key + "_hex"] = H;
  }
}

std::string getPath(const json &J, const std::string &Key) {
  if (!J.contains(Key + "_hex")) return J.at(Key).get<std::string>();
  const std::string H = J.at(Key + "_hex").get<std::string>();
  auto Nibble = [&](char C) -> int {
    if (C >= '0' && C <= '9') return C - '0';
    if (C >= 'a' && C <= 'f') return C - 'a' + 10;
    throw std::runtime_error("bad hex in '" + Key + "_hex'");
  };
  if (H.size() % 2) throw std::runtime_error("bad hex in '" + Key + "_hex'");
  std::string Out;
  for (size_t I = 0; I < H.size(); I += 2)
    Out += static_cast<char>(Nibble(H[I]) * 16 + Nibble(H[I + 1]));
  return Out;
}

std::string slurp(const std::string &P) {
  std::ifstream In(P, std::ios::binary);
  if (!In) return {};
  std::stringstream SS;
  SS << In.rdbuf();
  return SS.str();
}

}  // namespace

std::string buildFingerprint() {
  Fnv F;
  F.add(KREFCHECK_VERSION);
  struct stat Exe;
  if (stat("/proc/self/exe", &Exe) == 0)
    F.add("exe " + std::to_string(Exe.st_size) + " " + std::to_string(Exe.st_mtime));
  return F.hex();
}

std::string rulesFingerprint(const RuleSet &Rules) {
  Fnv F;
  for (auto &[Name, R] : Rules.functions())
    if (R.Origin.rfind("summary", 0) != 0 && !R.Imported) F.add(storeLine(functionRuleToJson(R)));
  for (auto &[Name, Fam] : Rules.families()) F.add(Name + "=" + Fam.Release);
  for (auto &[Name, C] : Rules.cleanups()) F.add(Name + "=" + C.Family);
  for (const ReleaseCallbackField &RC : Rules.releaseCallbacks()) F.add(RC.Record + "." + RC.Field);
  return F.hex();
}

std::string summaryFingerprint(const FunctionRule &R) {
  Fnv F;
  json J = functionRuleToJson(R);
  J.erase("note");
  F.add(storeLine(J));
  return F.hex();
}

std::string tuKey(const CompileCommand &Cmd) {
  Fnv F;
  F.add(Cmd.Directory);
  F.add(Cmd.File);
  for (const std::string &A : Cmd.Arguments) F.add(A);
  F.add(slurp(Cmd.File));
  std::vector<std::string> Deps;
  buildDependencies(Cmd, Deps);
  for (const std::string &D : Deps) {
    fs::path P(D);
    if (P.is_relative()) P = fs::path(Cmd.Directory) / P;
    struct stat St;
    F.add(D);
    if (stat(P.c_str(), &St) == 0) {
      F.add(std::to_string(St.st_size));
      F.add(std::to_string(St.st_mtim.tv_sec) + "." + std::to_string(St.st_mtim.tv_nsec));
    } else {
      F.add("missing");
    }
  }
  return F.hex();
}

std::string summaryFilePath(const std::string &Path) {
  std::error_code EC;
  fs::path P(Path);
  if (P.extension() == ".jsonl" && !fs::is_directory(P, EC)) return Path;
  return (P / "summaries.jsonl").string();
}

namespace {

constexpr const char *WhatToDo = "; delete it or use another --summaries path";

TUSummary entryFromJson(const json &J, const std::string &Path) {
  TUSummary S;
  S.File = getPath(J, "file");
  J.at("key").get_to(S.Key);
  J.at("ok").get_to(S.Ok);
  if (J.contains("error")) J.at("error").get_to(S.Error);
  if (J.contains("skipped")) J.at("skipped").get_to(S.Skipped);
  J.at("relevant").get_to(S.Relevant);
  for (const json &E : J.at("functions")) {
    FunctionRule R;
    std::string Err;
    if (!functionRuleFromJson(E.at("rule"), Path, R, Err)) throw std::runtime_error(Err);
    R.Origin = E.at("origin").get<std::string>();
    S.Functions.push_back(std::move(R));
  }
  J.at("calls").get_to(S.Calls);
  if (J.contains("summary_calls")) J.at("summary_calls").get_to(S.SummaryCalls);
  else S.SummaryCalls = S.Calls;
  J.at("imports").get_to(S.Imports);
  J.at("export_symbols").get_to(S.ExportSymbols);
  J.at("defines").get_to(S.Defines);
  if (J.contains("released_fields")) J.at("released_fields").get_to(S.ReleasedFields);
  return S;
}

json entryToJson(const TUSummary &S) {
  json Fns = json::array();
  for (const FunctionRule &R : S.Functions)
    Fns.push_back(json{{"rule", functionRuleToJson(R)}, {"origin", R.Origin}});
  json J{{"key", S.Key},
         {"ok", S.Ok},
         {"skipped", S.Skipped},
         {"relevant", S.Relevant},
         {"functions", Fns},
         {"calls", S.Calls},
         {"summary_calls", S.SummaryCalls},
         {"imports", S.Imports},
         {"export_symbols", S.ExportSymbols},
         {"defines", S.Defines},
         {"released_fields", S.ReleasedFields}};
  putPath(J, "file", S.File);
  if (!S.Error.empty()) J["error"] = S.Error;
  return J;
}

/// Reads a JSON-lines file: the first non-blank line is the header (\p OnHeader returns false,
/// with Error set, to refuse it), every later one an entry (\p OnEntry). A line that is not
/// JSON, or an exception from a callback, is "PATH:LINE: malformed WHAT: reason" on one
/// printable line. \p SawHeader says whether a header was read.
template <class HeaderFn, class EntryFn>
static bool readJsonLines(std::istream &In, const std::string &Path, const std::string &What,
                          const std::string &Suffix, HeaderFn OnHeader, EntryFn OnEntry,
                          bool &SawHeader, std::string &Error) {
  std::string Line;
  unsigned N = 0;
  SawHeader = false;
  try {
    while (std::getline(In, Line)) {
      ++N;
      if (Line.find_first_not_of(" \t\r") == std::string::npos) continue;
      json J = json::parse(Line);
      if (SawHeader) {
        OnEntry(J);
        continue;
      }
      if (!OnHeader(J)) return false;
      SawHeader = true;
    }
  } catch (const std::exception &E) {
    std::string Msg = E.what();
    for (char &C : Msg)  // one printable line, whatever bytes the file held
      if (static_cast<unsigned char>(C) < 0x20 || static_cast<unsigned char>(C) >= 0x7f) C = '?';
    Error = Path + ":" + std::to_string(N) + ": malformed " + What + ": " + Msg + Suffix;
    return false;
  }
  return true;
}

/// Reads the store at Path into TUs and Database. False with Error (one line) when it cannot
/// be used by a run of identity Id.
bool readStore(const std::string &Path, const StoreIdentity &Id,
               std::map<std::string, TUSummary> &TUs, std::string &Database, std::string &Error) {
  TUs.clear();
  Database.clear();
  std::error_code EC;
  if (!fs::exists(Path, EC)) return true;
  std::ifstream In(Path);
  if (!In) {
    Error = Path + ": cannot read the summary file" + WhatToDo;
    return false;
  }
  bool Header = false;
  auto OnHeader = [&](const json &J) {
    if (!J.is_object() || !J.contains("krefcheck_summaries"))
      throw std::runtime_error("not a krefcheck summary file (no header line)");
    int Version = J.at("krefcheck_summaries").get<int>();
    if (Version != FormatVersion) {
      Error = Path + ": written by another krefcheck version (store format " +
              std::to_string(Version) + ")" + WhatToDo;
      return false;
    }
    if (J.at("build").get<std::string>() != Id.Build) {
      Error = Path + ": written by another krefcheck build" + WhatToDo;
      return false;
    }
    if (J.at("rules").get<std::string>() != Id.Rules) {
      Error = Path + ": written for other rules" + WhatToDo;
      return false;
    }
    Database = getPath(J, "database");
    if (!Database.empty() && !Id.Database.empty() && Database != Id.Database) {
      Error = Path + ": written for another compile database (" + Database + ")" + WhatToDo;
      return false;
    }
    return true;
  };
  auto OnEntry = [&](const json &J) {
    TUSummary S = entryFromJson(J, Path);
    TUs[S.File] = std::move(S);
  };
  if (!readJsonLines(In, Path, "summary file", WhatToDo, OnHeader, OnEntry, Header, Error)) {
    TUs.clear();
    return false;
  }
  return true;
}

/// An exclusive flock() on Path, released when it goes out of scope.
struct FileLock {
  int Fd = -1;
  explicit FileLock(const std::string &Path) {
    Fd = open(Path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (Fd < 0) return;
    while (flock(Fd, LOCK_EX) != 0)
      if (errno != EINTR) {
        close(Fd);
        Fd = -1;
        return;
      }
  }
  ~FileLock() {
    if (Fd >= 0) close(Fd);  // closing releases the lock
  }
};

/// Which version of the file is at Path ("" if none): a rename gives it another inode.
std::string statOf(const std::string &Path) {
  struct stat St;
  if (stat(Path.c_str(), &St) != 0) return "";
  return std::to_string(St.st_dev) + ":" + std::to_string(St.st_ino) + ":" +
         std::to_string(St.st_size) + ":" + std::to_string(St.st_mtim.tv_sec) + "." +
         std::to_string(St.st_mtim.tv_nsec);
}

}  // namespace

std::string summaryPartText(const SummaryPart &P) {
  json Header{{"krefcheck_summary_part", 1},   {"build", P.Id.Build}, {"rules", P.Id.Rules},
              {"database_key", P.DatabaseKey}, {"shard", P.Shard},    {"shards", P.Count}};
  putPath(Header, "database", P.Id.Database);
  std::string Text = storeLine(Header) + "\n";
  for (const TUSummary &S : P.Entries) Text += storeLine(entryToJson(S)) + "\n";
  return Text;
}

bool readSummaryPart(const std::string &Path, const StoreIdentity &Id, SummaryPart &P,
                     std::string &Error) {
  P = SummaryPart();
  std::ifstream In(Path, std::ios::binary);
  if (!In) {
    Error = Path + ": cannot read the summary part: " + strerror(errno);
    return false;
  }
  bool Header = false;
  auto OnHeader = [&](const json &J) {
    if (!J.is_object() || !J.contains("krefcheck_summary_part"))
      throw std::runtime_error("not a summary part of `krefcheck summarize` (no header line)");
    if (J.at("krefcheck_summary_part").get<int>() != 1)
      throw std::runtime_error("written by another krefcheck version");
    P.Id.Build = J.at("build").get<std::string>();
    P.Id.Rules = J.at("rules").get<std::string>();
    P.Id.Database = getPath(J, "database");
    P.DatabaseKey = J.at("database_key").get<std::string>();
    const json &S = J.at("shard"), &C = J.at("shards");
    if (!S.is_number_unsigned() || !C.is_number_unsigned() || S.get<uint64_t>() < 1 ||
        S.get<uint64_t>() > C.get<uint64_t>() || C.get<uint64_t>() > 1000000)
      throw std::runtime_error("bad shard " + S.dump() + "/" + C.dump());
    P.Shard = S.get<unsigned>();
    P.Count = C.get<unsigned>();
    return true;
  };
  auto OnEntry = [&](const json &J) { P.Entries.push_back(entryFromJson(J, Path)); };
  if (!readJsonLines(In, Path, "summary part", "", OnHeader, OnEntry, Header, Error)) return false;
  if (!Header) {
    Error = Path + ": empty file, not a summary part of `krefcheck summarize`";
    return false;
  }
  if (P.Id.Build != Id.Build) {
    Error = Path + ": written by another krefcheck build (every stage must run the same binary)";
    return false;
  }
  if (P.Id.Rules != Id.Rules) {
    Error = Path + ": written for other rules (every stage must use the same rules)";
    return false;
  }
  return true;
}

std::string databaseKey(const std::vector<CompileCommand> &Cmds) {
  std::map<std::string, const CompileCommand *> First;
  for (const CompileCommand &C : Cmds) First.emplace(C.File, &C);
  Fnv F;
  for (auto &[File, C] : First) {
    F.add(File);
    F.add(C->Directory);
    for (const std::string &A : C->Arguments) F.add(A);
  }
  return F.hex();
}

bool SummaryStore::load(const std::string &Path, const StoreIdentity &Id, std::string &Error) {
  LoadedStat = statOf(Path);
  return readStore(Path, Id, TUs, Database, Error);
}

bool SummaryStore::save(const std::string &Path, const StoreIdentity &Id,
                        const std::set<std::string> &Mine, std::string &Error) {
  std::error_code EC;
  fs::path P(Path);
  if (P.has_parent_path()) fs::create_directories(P.parent_path(), EC);
  FileLock Lock(Path + ".lock");
  if (Lock.Fd < 0) {
    Error = Path + ": cannot write the summary file (its lock " + Path +
            ".lock: " + strerror(errno) + ")";
    return false;
  }
  // What other runs wrote since this one read the store: their files' entries are newer (not
  // read again when the file is still the one load() read).
  std::map<std::string, TUSummary> OnDisk;
  std::string DiskDatabase, DiskError;
  const std::string Now = statOf(Path);
  if (Now.empty() || Now != LoadedStat) {
    if (!readStore(Path, Id, OnDisk, DiskDatabase, DiskError)) {
      Error = "not updated: " + DiskError;
      return false;
    }
    // Every file but this run's as on disk now (a run that dropped one dropped it).
    for (auto It = TUs.begin(); It != TUs.end();)
      It = Mine.count(It->first) ? std::next(It) : TUs.erase(It);
    for (auto &[File, S] : OnDisk)
      if (!Mine.count(File)) TUs[File] = std::move(S);
  }
  if (!Id.Database.empty()) Database = Id.Database;
  else if (Database.empty()) Database = DiskDatabase;

  std::string Tmp = Path + ".tmp." + std::to_string(getpid());
  {
    std::ofstream Out(Tmp);
    if (!Out) {
      Error = Path + ": cannot write the summary file";
      return false;
    }
    json Header{{"krefcheck_summaries", FormatVersion}, {"build", Id.Build}, {"rules", Id.Rules}};
    putPath(Header, "database", Database);
    Out << storeLine(Header) << "\n";
    for (auto &[File, S] : TUs) Out << storeLine(entryToJson(S)) << "\n";
    if (!Out.flush()) {
      Error = Path + ": write failed";
      fs::remove(Tmp, EC);
      return false;
    }
  }
  fs::rename(Tmp, Path, EC);
  if (EC) {
    Error = Path + ": cannot write the summary file: " + EC.message();
    fs::remove(Tmp, EC);
    return false;
  }
  return true;
}

}  // namespace krefcheck
