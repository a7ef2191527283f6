// data_arg.cpp — a program's data argument, read by io/load_any.h (run/data_arg.h).
#include "run/data_arg.h"

#include "io/load_any.h"

namespace tg {

Dataset load_data_arg(const std::string& flag, const std::string& path, bool test, const std::string& label_flag) {
    DataOptions o;
    o.test_split = test;
    o.label_column = parse_label_flag(label_flag);
    return load_any(path, o, flag);
}

}  // namespace tg
