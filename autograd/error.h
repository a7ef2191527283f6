// error.h — the one exception type tapegrad throws.
// Every message names what went wrong, where, and how to fix it. `code` is the process exit code an
// example uses when the error reaches main(): 2 for bad input or flags, 3 for numerical trouble
// (NaN/Inf found by anomaly mode or the training guard), 1 for anything else (docs/errors.md).
#pragma once
#include <stdexcept>
#include <string>

namespace tg {

enum ExitCode { EXIT_BAD_INPUT = 2, EXIT_FAILURE_OTHER = 1, EXIT_NUMERIC = 3 };

struct Error : std::runtime_error {
    int code;
    explicit Error(const std::string& msg, int code = EXIT_FAILURE_OTHER)
        : std::runtime_error(msg), code(code) {}
};

// Bad user input (a file, a flag, a CSV cell): exit code 2.
inline Error input_error(const std::string& msg) { return Error(msg, EXIT_BAD_INPUT); }

}  // namespace tg
