// cli.cpp — flag declaration, parsing with range checks, and the generated --help.
#include "run/flags.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "autograd/error.h"
#include "autograd/tape_dot.h"
#include "io/atomic_file.h"

namespace tg {

Cli::Cli(std::string program, std::string about) : program(std::move(program)), about(std::move(about)) {}

void Cli::add(const std::string& name, int* v, const std::string& help, int lo, int hi) {
    flags.push_back({name, help, "int", v, (double)lo, (double)hi, std::to_string(*v)});
}
void Cli::add(const std::string& name, int64_t* v, const std::string& help, int64_t lo, int64_t hi) {
    flags.push_back({name, help, "int64", v, (double)lo, (double)hi, std::to_string(*v)});
}
void Cli::add(const std::string& name, double* v, const std::string& help, double lo, double hi) {
    flags.push_back({name, help, "double", v, lo, hi, ""});
    flags.back().def = current(flags.back());
}
void Cli::add(const std::string& name, std::string* v, const std::string& help) {
    flags.push_back({name, help, "string", v, 0, 0, *v});
}
void Cli::add(const std::string& name, bool* v, const std::string& help) {
    flags.push_back({name, help, "bool", v, 0, 0, *v ? "on" : "off"});
}

Cli::Flag& Cli::find(const std::string& name) {
    for (Flag& f : flags)
        if (f.name == name) return f;
    // suggest the closest flag: the one sharing the longest prefix
    std::string best;
    size_t best_len = 0;
    for (const Flag& f : flags) {
        size_t k = 0;
        while (k < name.size() && k < f.name.size() && name[k] == f.name[k]) k++;
        if (k > best_len) { best_len = k; best = f.name; }
    }
    throw input_error("unknown flag --" + name + (best_len >= 2 ? "; did you mean --" + best + "?" : "") + " (see " + program + " --help)");
}

std::string Cli::current(const Flag& f) const {
    char buf[64];
    if (f.kind == "int") return std::to_string(*(int*)f.ptr);
    if (f.kind == "int64") return std::to_string(*(int64_t*)f.ptr);
    if (f.kind == "double") { snprintf(buf, sizeof buf, "%g", *(double*)f.ptr); return buf; }
    if (f.kind == "bool") return *(bool*)f.ptr ? "on" : "off";
    return *(std::string*)f.ptr;
}

static std::string range_text(double lo, double hi) {
    char buf[96];
    if (hi >= 1e300 || hi >= 2147483647) snprintf(buf, sizeof buf, "a number >= %.15g", lo);
    else snprintf(buf, sizeof buf, "a number in [%.15g, %.15g]", lo, hi);
    return buf;
}

bool Cli::parse(int argc, char** argv) {
    for (int i = 1; i < argc; i++) {
        std::string arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            printf("%s", help().c_str());
            return false;
        }
        if (arg.rfind("--", 0) != 0) throw input_error("unexpected argument '" + arg + "': flags start with -- (see " + program + " --help)");
        std::string name = arg.substr(2), value;
        size_t eq = name.find('=');
        bool has_value = eq != std::string::npos;
        if (has_value) { value = name.substr(eq + 1); name = name.substr(0, eq); }
        Flag& f = find(name);
        if (f.kind == "bool") {
            if (has_value) throw input_error("--" + name + " is a switch and takes no value; write --" + name + " alone to turn it on");
            *(bool*)f.ptr = true;
            continue;
        }
        if (!has_value) {
            if (i + 1 >= argc)
                throw input_error("--" + name + " needs a value (" + f.help + "); write --" + name + " " +
                                  (f.kind == "string" ? "S" : f.kind == "double" ? "X" : "N") + " (see " + program + " --help)");
            value = argv[++i];
        }
        if (f.kind == "string") {
            *(std::string*)f.ptr = value;
            continue;
        }
        errno = 0;
        char* end = nullptr;
        double x = std::strtod(value.c_str(), &end);
        bool integral = f.kind != "double";
        if (value.empty() || *end != '\0' || errno == ERANGE || !std::isfinite(x) || (integral && x != std::floor(x)))
            throw input_error("--" + name + ": '" + value + "' is not " + (integral ? "a whole number" : "a number") + "; expected " + range_text(f.lo, f.hi));
        if (x < f.lo || x > f.hi) throw input_error("--" + name + ": " + value + " is out of range; expected " + range_text(f.lo, f.hi));
        if (f.kind == "int") *(int*)f.ptr = (int)x;
        else if (f.kind == "int64") *(int64_t*)f.ptr = (int64_t)x;
        else *(double*)f.ptr = x;
    }
    for (auto& action : actions) action();
    return true;
}

std::string Cli::help() const {
    std::string s = "usage: " + program + " [flags]\n" + about + "\n\nflags:\n";
    char buf[512];
    for (const Flag& f : flags) {
        std::string lhs = "--" + f.name + (f.kind == "bool" ? "" : " " + std::string(f.kind == "string" ? "S" : f.kind == "double" ? "X" : "N"));
        // one default per flag: a help text that states its own default (a computed or mode-dependent one) keeps it
        const bool states_default = f.help.find("(default:") != std::string::npos;
        snprintf(buf, sizeof buf, "  %-22s %s%s\n", lhs.c_str(), f.help.c_str(),
                 f.kind == "bool" || states_default ? "" : (" (default: " + (f.def.empty() ? std::string("none") : f.def) + ")").c_str());
        s += buf;
    }
    return s;
}

std::string Cli::values() const {
    std::string s;
    for (const Flag& f : flags) s += (s.empty() ? "--" : " --") + f.name + " " + (current(f).empty() ? "''" : current(f));
    return s;
}

static const CommonFlags* last_common = nullptr;
const CommonFlags* common_flags() { return last_common; }

// ----------------------------------------------------------------------------------------------
// --dump-tape FILE: the graph of the first backward pass the program runs (with --gradcheck, the check's
// own; in the GAN, the discriminator's step), with every node's gradient norm, as Graphviz DOT.

static std::string dump_path;
static bool dumped = false;

static void dump_first_tape(Tape& t) {
    after_backward = nullptr;  // once
    std::ostringstream dot;
    write_dot(t, dot, true);
    write_file_atomically(dump_path, dot.str(), "--dump-tape");
    dumped = true;
    printf("wrote the graph of the first backward pass (%d nodes) to %s (render: dot -Tpng %s -o tape.png)\n", t.size(),
           dump_path.c_str(), dump_path.c_str());
}

static void dump_note_at_exit() {
    if (!dumped)
        fprintf(stderr, "note: --dump-tape %s: no backward pass ran, so no graph was written (the RBM's CD-k, for one, "
                        "computes its gradient without the tape)\n", dump_path.c_str());
}

void add_common(Cli& cli, CommonFlags& f) {
    last_common = &f;
    cli.add("data", &f.data, "an idx directory, an image folder (DIR/<class>/*.png) or a CSV (default: $TAPEGRAD_DATA, else /usr/share/datasets/fashion-mnist)");
    cli.add("epochs", &f.epochs, "passes over the training set", 0, 100000);
    cli.add("batch", &f.batch, "examples per mini-batch", 1, 1 << 20);
    cli.add("lr", &f.lr, "learning rate", 0, 1e6);
    cli.add("seed", &f.seed, "random seed: same seed and threads give bit-identical runs", 0, (int64_t)1 << 53);
    cli.add("threads", &f.threads, "threads: the matrix products, the optimizer and the largest elementwise loops are split over them", 1, 256);
    cli.add("out", &f.out, "output directory for metrics.csv, PNGs and model.ckpt");
    cli.add("train-limit", &f.train_limit, "use only the first N training examples (0 = all)", 0, 1 << 30);
    cli.add("resume", &f.resume, "continue training from this checkpoint (e.g. out/model.ckpt)");
    cli.add("gradcheck", &f.gradcheck, "check the model's gradients on a tiny batch before training; exit 1 if one is wrong");
    cli.add("detect-anomaly", &f.detect_anomaly, "stop at the first op that produces NaN/Inf, naming it (slower)");
    cli.add("distributed", &f.distributed, "data-parallel: mpirun -np N build/mpi/PROGRAM --distributed; --batch is per rank (docs/distributed.md)");
    cli.add("dump-tape", &f.dump_tape, "write the graph of the first backward pass to this file as Graphviz DOT, with gradient norms");
    cli.after_parse([&f] {
        if (f.dump_tape.empty() || after_backward == dump_first_tape) return;
        dump_path = f.dump_tape;
        after_backward = dump_first_tape;
        std::atexit(dump_note_at_exit);
    });
}

}  // namespace tg
