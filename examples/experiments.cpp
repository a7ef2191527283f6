// experiments.cpp — the claims about deep dimensionality reduction, measured (docs/experiments.md): one
// experiment per name, each a mean over --seeds seeds with its spread, a difference inside the spread a tie.
//   build/experiments NAME [--quick] [--seeds 3] [--epochs 10] [--train-limit N] [--test-limit N] [--out DIR]
//   build/experiments list          # the names
// NAME: beta, optimizers, sparsity, robustness, novelty, augment, compression, linear (models/experiments/, one file each).
// --quick: 3,000 training and 1,000 test images, 2 epochs (about a minute each, what `make demo` runs). Writes DIR/NAME/results.csv
// (mean and sd columns, the verdicts) and the experiment's PNGs; DIR defaults to out/experiments.
#include <cstdio>
#include <cstring>
#include <functional>

#include "io/idx.h"
#include "models/experiments/experiments.h"
#include "run/flags.h"
#include "run/progress.h"
#include "run/training.h"

using namespace tg;

struct Entry {
    const char* name;
    const char* question;
    std::function<void(const ExperimentSetup&)> run;
};
static const Entry kExperiments[] = {
    {"beta", "1. What does beta do to a VAE?", experiment_beta},
    {"optimizers", "2. Adam or SGD, at each one's tuned learning rate?", experiment_optimizers},
    {"sparsity", "3. Do sparsity and weight penalties give better codes?", experiment_sparsity},
    {"robustness", "4. Are deep codes more robust to noisy inputs than PCA's?", experiment_robustness},
    {"novelty", "5. Can reconstruction find the class a model never saw?", experiment_novelty},
    {"augment", "6. Do generated samples help a classifier with few labels?", experiment_augment},
    {"compression", "7. How well does a VAE compress, against the autoencoder, PCA and the DCT?", experiment_compression},
    {"linear", "8b. Does a linear autoencoder find PCA's subspace, and what does each nonlinearity add?", experiment_linear},
};

static void list() {
    printf("experiments:\n");
    for (const Entry& e : kExperiments) printf("  %-12s %s\n", e.name, e.question);
}

int main(int argc, char** argv) try {
    // experiments NAME [flags]: NAME first; `experiments --help` shows the flags and the names
    const bool named = argc >= 2 && argv[1][0] != '-';
    const std::string name = named ? argv[1] : "";
    if (name == "list") return list(), 0;
    const Entry* entry = nullptr;
    for (const Entry& e : kExperiments)
        if (name == e.name) entry = &e;
    if (named && !entry) {
        fprintf(stderr, "error: no experiment named '%s'; the names are:", name.c_str());
        for (const Entry& e : kExperiments) fprintf(stderr, " %s", e.name);
        fprintf(stderr, " (experiments list)\n");
        return 2;
    }

    std::string data, out = "out/experiments";
    int epochs = 10, seeds = 3, train_limit = 0, test_limit = 0, threads = 1, probe_epochs = 20;
    bool quick = false;
    Cli cli(named ? "experiments " + name : "experiments", named ? entry->question : "experiments NAME [flags]: run one experiment (experiments list)");
    cli.add("data", &data, std::string("the idx directory (default: $TAPEGRAD_DATA, else ") + DEFAULT_DATA_DIR + ")");
    cli.add("quick", &quick, "small sizes for a tour: 3000 training and 1000 test images, 2 epochs, 5 probe epochs");
    cli.add("epochs", &epochs, "epochs of every deep model", 1, 100000);
    cli.add("seeds", &seeds, "seeds per measurement (>= 3 for a verdict with a spread)", 1, 100);
    cli.add("train-limit", &train_limit, "the first N training images (0 = all)", 0, 1 << 30);
    cli.add("test-limit", &test_limit, "the first N test images (0 = all)", 0, 1 << 30);
    cli.add("probe-epochs", &probe_epochs, "epochs of the linear probe", 1, 10000);
    cli.add("threads", &threads, "threads of tapegrad's pool", 1, 256);
    cli.add("out", &out, "the folder; results go to OUT/NAME");
    const int skip = named ? 1 : 0;  // argv[skip] plays the program name
    if (!cli.parse(argc - skip, argv + skip)) {
        if (!named) list();
        return 0;
    }
    if (!named) {
        fprintf(stderr, "error: experiments needs a NAME first (experiments NAME [flags]); try `experiments list`\n");
        return 2;
    }
    start_run(threads);
    if (quick) {  // a flag given explicitly keeps its value
        auto given = [&](const char* flag) {
            for (int i = 2; i < argc; i++)
                if (!strcmp(argv[i], flag)) return true;
            return false;
        };
        if (!given("--epochs")) epochs = 2;
        if (!given("--train-limit")) train_limit = 3000;
        if (!given("--test-limit")) test_limit = 1000;
        if (!given("--probe-epochs")) probe_epochs = 5;
    }

    ExperimentSetup s;
    const std::string dir = resolve_data_dir(data);
    s.train = load_idx_split(dir, true);
    s.test = load_idx_split(dir, false);
    if (train_limit) s.train = s.train.subset(train_limit);
    if (test_limit) s.test = s.test.subset(test_limit);
    s.epochs = epochs, s.seeds = seeds, s.quick = quick, s.probe_epochs = probe_epochs;
    s.out = out + "/" + name;
    prepare_out_dir(s.out);
    printf("%s\n  %d training and %d test images from %s, %d epochs, %d seeds, models %d-%d-%d\n", entry->question,
           s.train.size(), s.test.size(), dir.c_str(), s.epochs, s.seeds, s.train.dim(), s.hidden, s.code);
    entry->run(s);
    printf("wrote %s/results.csv and its pictures\n", s.out.c_str());
    return 0;
} catch (const Error& e) {
    fprintf(stderr, "error: %s\n", e.what());
    return e.code;
}
