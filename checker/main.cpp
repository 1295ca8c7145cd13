// krefcheck: finds reference-count bugs (of_node_get/put, get/put_device, fwnode_handle_get/put
// and any pair declared in rules/*.json) in C sources described by a compile database.
// The command line is driver/CommandLine.cpp, a run driver/Run.cpp (docs/architecture.md).
#include "driver/Run.h"

#include <exception>
#include <iostream>

int main(int argc, char **argv) {
  // Every bad input has its own error line; this only keeps a missed exception from ending in
  // std::terminate and a crash banner.
  try {
    return krefcheck::driverMain(argc, argv);
  } catch (const std::exception &E) {
    std::cerr << "krefcheck: error: internal error: " << E.what() << "\n";
    return 2;
  }
}
