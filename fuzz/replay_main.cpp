// Runs a fuzz target's LLVMFuzzerTestOneInput over files and folders without libFuzzer: the
// regression replay of the normal test suite (any compiler, with or without sanitizers).
// Usage: <target>_replay FILE|DIR...   A crash ends the process (and fails the test).
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size);

namespace fs = std::filesystem;

int main(int Argc, char **Argv) {
  std::vector<fs::path> Inputs;
  for (int I = 1; I < Argc; ++I) {
    fs::path P(Argv[I]);
    std::error_code EC;
    if (fs::is_directory(P, EC)) {
      for (const fs::directory_entry &E : fs::directory_iterator(P))
        if (E.is_regular_file() && E.path().filename().string()[0] != '.')
          Inputs.push_back(E.path());
    } else if (fs::is_regular_file(P, EC)) {
      Inputs.push_back(P);
    } else {
      std::cerr << "replay: error: " << P.string() << ": no such file or folder\n";
      return 2;
    }
  }
  std::sort(Inputs.begin(), Inputs.end());
  for (const fs::path &P : Inputs) {
    std::ifstream In(P, std::ios::binary);
    std::string Data((std::istreambuf_iterator<char>(In)), std::istreambuf_iterator<char>());
    std::cout << "replay: " << P.string() << " (" << Data.size() << " bytes)" << std::endl;
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(Data.data()), Data.size());
  }
  std::cout << "replay: " << Inputs.size() << " inputs, no crash" << std::endl;
  return 0;
}
