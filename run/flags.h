// cli.h — command-line flags for the examples: declare each flag with its default and help text, parse,
// and get `--help` and clear errors for free. Every example shares the common flags (add_common):
// --data --epochs --batch --lr --seed --threads --out --train-limit --resume --gradcheck --detect-anomaly
// --distributed --dump-tape --help
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace tg {

struct Cli {
    Cli(std::string program, std::string about);

    // Declare a flag bound to a variable that already holds its default. Numbers get a range [lo, hi];
    // a value outside it (or not a number) is an input_error naming the flag and the accepted range.
    // --help appends "(default: V)" to `help`, unless `help` already says "(default: ...)" itself.
    void add(const std::string& name, int* v, const std::string& help, int lo = INT32_MIN_, int hi = INT32_MAX_);
    void add(const std::string& name, int64_t* v, const std::string& help, int64_t lo, int64_t hi);
    void add(const std::string& name, double* v, const std::string& help, double lo = -1e300, double hi = 1e300);
    void add(const std::string& name, std::string* v, const std::string& help);
    void add(const std::string& name, bool* v, const std::string& help);  // a switch: present = true

    // Parse argv. Returns false when --help was asked (the help has been printed: exit 0).
    bool parse(int argc, char** argv);
    std::string help() const;
    // "--epochs 10 --batch 128 ..." — every flag's current value, for logs and checkpoints
    std::string values() const;
    // Run `action` once parse() has read every flag (add_common uses it to act on --dump-tape).
    void after_parse(std::function<void()> action) { actions.push_back(std::move(action)); }

    static constexpr int INT32_MIN_ = -2147483647 - 1, INT32_MAX_ = 2147483647;

  private:
    struct Flag {
        std::string name, help, kind;  // kind: int, int64, double, string, bool
        void* ptr;
        double lo, hi;
        std::string def;
    };
    std::string program, about;
    std::vector<Flag> flags;
    std::vector<std::function<void()>> actions;
    Flag& find(const std::string& name);
    std::string current(const Flag& f) const;
};

// The flags every example has, with their values.
struct CommonFlags {
    std::string data;          // "" = $TAPEGRAD_DATA or the Debian path
    int epochs = 10;
    int batch = 128;
    double lr = 1e-3;
    int64_t seed = 1;
    int threads = 1;
    std::string out = "out";
    int train_limit = 0;       // 0 = the whole training set
    std::string resume;        // a checkpoint to continue from
    bool gradcheck = false;
    bool detect_anomaly = false;
    bool distributed = false;  // data-parallel over MPI ranks (run/distributed.h)
    std::string dump_tape;     // write the first backward's graph here as Graphviz DOT (docs/one-step.md)
};
void add_common(Cli& cli, CommonFlags& f);
// The flags add_common was last given (null before): start_run(threads) refuses --distributed with them.
const CommonFlags* common_flags();

}  // namespace tg
