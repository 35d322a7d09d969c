#ifndef CFUZZDRIVER_H
#define CFUZZDRIVER_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver, linked by `-sanitize=fuzzer` (compiler-rt,
/// FuzzerInterface.h). Only the fuzzing build calls it: SwiftPM names an
/// executable's entry point itself, so the harness hands `main` to libFuzzer.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
