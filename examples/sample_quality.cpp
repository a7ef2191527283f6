// sample_quality.cpp — judge the samples of generator checkpoints (a GAN from examples/gan or examples/dcgan,
// a VAE from examples/vae) with the MLP classifier: classifier score, Fréchet distance to the real test set, and the
// share of samples in each class, beside what real images get (the test set, and its two halves).
//   build/sample_quality --checkpoint out/gan/model.ckpt,out/vae/model.ckpt [--samples 10000]
//                        [--images samples-idx3-ubyte] [--classifier out/classifier/model.ckpt] [--out out/quality]
// --images judges images made elsewhere (an idx3 file, e.g. bench/peers/dcgan_reference.py's PyTorch samples)
// beside the checkpoints, by the same judge.
// The judge is trained first (--epochs, default 5) if its checkpoint is missing; --data is an idx directory, an
// image folder or a CSV (values in [0, 1]), and on unlabelled data the measures step aside (run/judge.h). Writes
// <out>/quality.csv (one row per set) and <out>/samples_<model>.png (64 of the judged samples, or 6 drawn
// feature by feature when the rows are not images). Measures: docs/sample-quality.md
#include <algorithm>
#include <cstdio>

#include "io/checkpoint.h"
#include "io/idx.h"
#include "io/samples.h"
#include "models/dcgan.h"
#include "models/gan.h"
#include "models/vae.h"
#include "run/data_flags.h"
#include "run/judge.h"
#include "run/progress.h"

using namespace tg;

// "a,b,c" -> {"a", "b", "c"}: the paths of --checkpoint and --images
static std::vector<std::string> comma_list(const std::string& text) {
    std::vector<std::string> items;
    for (size_t pos = 0; pos <= text.size();) {
        size_t comma = std::min(text.find(',', pos), text.size());
        items.push_back(text.substr(pos, comma - pos));
        pos = comma + 1;
    }
    return items;
}

// n samples in [0, 1] from the generator in checkpoint `ck`, its noise z ~ N(0, I) drawn from rng.
static Tensor samples_of(const Checkpoint& ck, int n, Rng& rng) {
    const std::string model = ck.get("model"), arch = ck.get("arch");
    if (model == "gan") {
        GAN gan(parse_gan_arch(arch, ck.path), 0);
        restore_params(ck, gan.g_params());
        Tensor z = Tensor::normal(Shape{n, gan.cfg.latent}, 0, 1, rng);
        return generate_in_batches([&](const Tensor& zb) { return gan.sample_images(zb); }, z);  // tanh's [-1, 1] -> [0, 1]
    }
    if (model == "dcgan") {  // examples/dcgan: G with its BatchNorm statistics, sampled in evaluation mode
        DCGAN g(parse_dcgan_arch(arch, ck.path), 0);
        restore_params(ck, g.gan.g_params());
        for (NamedTensor& b : g.buffers()) restore_tensor(ck, b.first, *b.second);
        Tensor z = Tensor::normal(Shape{n, g.cfg.latent}, 0, 1, rng);
        return generate_in_batches([&](const Tensor& zb) {
            Tensor x = g.sample(zb);
            for (real& v : x.data) v = (v + 1) / 2;
            return x;
        }, z);
    }
    if (model == "vae") {
        VAEConfig c;  // examples/vae's arch is "784-400-20", with " beta 4" appended for a β-VAE
        if (sscanf(arch.c_str(), "%d-%d-%d", &c.input, &c.hidden, &c.latent) != 3)
            throw input_error(ck.path + ": malformed VAE architecture '" + arch + "'; expected D-H-K like 784-400-20");
        VAE vae(c, 0);
        restore_params(ck, vae.params());
        Tensor z = Tensor::normal(Shape{n, c.latent}, 0, 1, rng);
        return generate_in_batches([&](const Tensor& zb) { return vae.decode(zb); }, z);  // sigmoid: [0, 1]
    }
    throw input_error("--checkpoint " + ck.path + ": holds a '" + model + "' model; pass a checkpoint of examples/gan, examples/dcgan or examples/vae");
}

int main(int argc, char** argv) try {
    CommonFlags f;
    f.out = "out/quality";
    f.epochs = 5;  // only used to train a missing judge
    std::string checkpoints, images, classifier = "auto";
    int n = 10000;
    ImageFlags img;
    Cli cli("sample_quality", "Judge generator checkpoints' samples with the MLP classifier (score, Frechet distance, class shares).");
    add_common(cli, f);
    add_image_flags(cli, img);
    cli.add("checkpoint", &checkpoints, "generator checkpoints (model=gan, dcgan or vae), comma-separated");
    cli.add("images", &images, "idx3 files of samples made elsewhere (bytes / 255), comma-separated: judged as they are");
    cli.add("samples", &n, "samples drawn from each generator", 2, 1000000);
    cli.add("classifier", &classifier, "the judge's checkpoint (examples/mlp_classifier), trained here if missing; auto: run/judge.h's for the data");
    if (!cli.parse(argc, argv)) return 0;
    if (checkpoints.empty() && images.empty())
        throw input_error("--checkpoint: no generator given; pass e.g. --checkpoint out/gan/model.ckpt,out/vae/model.ckpt (or --images FILE)");
    start_run(f.threads);  // tapegrad's threads, denormals flushed (run/training.h)
    prepare_out_dir(f.out);

    const std::string dir = resolve_data_dir(f.data);
    CommonFlags whole = f;  // the judge learns from the whole training set, as in examples/gan
    whole.train_limit = 0;
    TrainTest data = load_train_test(whole, data_options(img));
    check_unit_range(data.train, data.test, "sample_quality");
    SampleJudge judge;  // none on unlabelled data: the samples are drawn, not judged
    const bool judged = prepare_judge(judge, classifier, f.data, data.train, data.test, f.epochs, (uint64_t)f.seed);
    const References& ref = judge.ref;

    struct Row { std::string name, source; Quality q; };
    std::vector<Row> rows = {{"real test set", dir, ref.test}, {"test half vs other half", dir, ref.halves}};
    for (const std::string& path : images.empty() ? std::vector<std::string>{} : comma_list(images)) {  // samples made elsewhere
        Dataset made = load_idx(path, "");
        if (made.dim() != data.test.dim())
            throw input_error("--images " + path + ": its images have " + std::to_string(made.dim()) + " pixels, the data " + dir + " has " +
                              std::to_string(data.test.dim()) + "; pass images of the data's size");
        rows.push_back({"images, " + std::to_string(made.size()), path, judged ? judge_samples(judge.net, made.x, ref.test_fit) : Quality{}});
        write_samples(f.out + "/samples_images" + std::to_string(rows.size() - 2) + ".png", made.x.first_slice(0, std::min(made.size(), 64)),
                      data.test);
    }
    for (const std::string& path : checkpoints.empty() ? std::vector<std::string>{} : comma_list(checkpoints)) {
        Checkpoint ck = load_checkpoint(path);
        Rng rng((uint64_t)f.seed);  // the same noise stream for every model, whatever the order of the list
        Tensor x = samples_of(ck, n, rng);
        if (x.cols() != data.test.dim())
            throw input_error("--checkpoint " + path + ": its generator makes rows of " + std::to_string(x.cols()) + " values, the data " +
                              dir + " has " + std::to_string(data.test.dim()) + "; pass the --data (and --size, --channels) it was trained on");
        std::string name = ck.get("model") + ", epoch " + (ck.has("epoch") ? ck.get("epoch") : "?");
        rows.push_back({name, path, judged ? judge_samples(judge.net, x, ref.test_fit) : Quality{}});
        write_samples(f.out + "/samples_" + ck.get("model") + std::to_string(rows.size() - 2) + ".png", x.first_slice(0, std::min(n, 64)),
                      data.test);
    }
    if (!judged) {
        printf("wrote %s/samples_*.png (no quality.csv: the data has no labels to train a judge with)\n", f.out.c_str());
        return 0;
    }

    // the table, and the same as CSV
    std::string csv = "set,source,samples,classifier_score,score_vs_real,frechet_distance,min_class_share";
    for (size_t c = 0; c < ref.test.coverage.share.size(); c++) csv += ",share_" + std::to_string(c);
    csv += "\n";
    printf("\n%-24s %8s %8s %8s %10s %10s  %s\n", "set", "samples", "score", "vs real", "frechet", "min class", "source");
    for (const Row& r : rows) {
        printf("%-24s %8d %8.3f %7.1f%% %10.3f %9.2f%%  %s\n", r.name.c_str(), r.q.n, r.q.score, 100 * r.q.score / ref.test.score,
               r.q.frechet, 100 * r.q.coverage.min_share, r.source.c_str());
        char cells[160];
        snprintf(cells, sizeof cells, ",%d,%.6g,%.6g,%.6g,%.6g", r.q.n, r.q.score, r.q.score / ref.test.score, r.q.frechet,
                 r.q.coverage.min_share);
        csv += "\"" + r.name + "\",\"" + r.source + "\"" + cells;
        for (double s : r.q.coverage.share) csv += "," + std::to_string(s);
        csv += "\n";
    }
    printf("(the test-half row: score and class shares of the first 5000 test images, Frechet distance to the other 5000)\n");
    write_file_atomic(f.out + "/quality.csv", csv);
    printf("wrote %s/quality.csv and %s/samples_*.png\n", f.out.c_str(), f.out.c_str());
    return 0;
} catch (const Error& e) {
    fprintf(stderr, "error: %s\n", e.what());
    return e.code;
}
