// dbn.cpp — the RBM stack and its greedy pretraining, and the two unrolled networks: the classifier and
// the deep autoencoder, with their fine-tuning and evaluation loops. Derivations: docs/dbn.md
// D = input, L = RBMs, sizes[l] = width of layer l, K = code size, B = batch.
#include "models/dbn.h"

#include <cmath>

#include "autograd/ops.h"
#include "nn/train.h"
#include "models/linalg.h"

namespace tg {

// ----------------------------------------------------------------------------------------------
// the stack and greedy pretraining

DBN::DBN(const DBNConfig& c, uint64_t seed) : cfg(c) {
    if (cfg.sizes.size() < 2) throw input_error("--layers: a DBN needs at least one hidden layer, got '" + sizes_str(cfg.sizes) + "'");
    Rng r(seed);
    const int L = (int)cfg.sizes.size() - 1;
    for (int l = 0; l < L; l++) {
        RBMConfig rc;
        rc.visible = cfg.sizes[l];
        rc.hidden = cfg.sizes[l + 1];
        rc.hidden_units = cfg.linear_top && l == L - 1 ? Units::Gaussian : Units::Bernoulli;
        rc.init_std = rc.hidden_units == Units::Gaussian ? 0.1 : 0.01;  // H&S 2006's code: 0.1 for the linear layer
        rc.cd_k = cfg.cd_k;
        rc.weight_decay = cfg.weight_decay;
        rbms.push_back(std::make_unique<RBM>(rc, r.next_u64(), "dbn.rbm" + std::to_string(l + 1)));
    }
}

std::string DBN::arch() const { return sizes_str(cfg.sizes) + (cfg.linear_top ? " linear top" : ""); }

std::vector<Param*> DBN::params() {
    std::vector<Param*> p;
    for (auto& r : rbms)
        for (Param* q : r->params()) p.push_back(q);
    return p;
}

double DBN::layer_lr(int l) const { return rbms[l]->cfg.hidden_units == Units::Gaussian ? cfg.linear_lr : cfg.lr; }

Tensor DBN::propagate(const Tensor& x, int l) const {
    Tensor a = x, next;
    for (int i = 0; i < l; i++) {
        rbms[i]->hidden_mean(a, next);
        std::swap(a, next);
    }
    return a;
}

Pretraining::Pretraining(DBN& d, const Tensor& data, uint64_t seed) : dbn(d), x(data), batch_seed(seed) {
    for (int l = 0; l < dbn.layers(); l++)
        sgd.push_back(std::make_unique<SGD>(dbn.rbms[l]->params(), dbn.layer_lr(l), rbm_momentum(1, dbn.cfg.momentum_warmup, dbn.cfg.momentum)));
}

const Dataset& Pretraining::prepare(int l) {
    if (ready != l) {
        layer_data.x = dbn.propagate(x, l);  // (N, sizes[l]): what layer l sees
        layer_data.source = "the input of " + dbn.rbms[l]->prefix;
        batches = std::make_unique<Batcher>(layer_data, dbn.cfg.batch, batch_seed + l);
        ready = l;
    }
    return layer_data;
}

double Pretraining::epoch(int l, int e, const std::function<void(int, double)>& on_batch) {
    RBM& rbm = *dbn.rbms[l];
    prepare(l);
    if (e == 1) rbm.init_from_data(layer_data.x);
    batches->start_epoch(e);
    sgd[l]->momentum = rbm_momentum(e, dbn.cfg.momentum_warmup, dbn.cfg.momentum);
    return train_epoch(rbm, *batches, *sgd[l], on_batch);
}

void pretrain(DBN& dbn, const Tensor& x, uint64_t seed, const std::function<void(int, int, double)>& on_epoch) {
    Pretraining p(dbn, x, seed);
    for (int l = 0; l < dbn.layers(); l++) {
        if (dbn.cfg.pretrain_epochs == 0) dbn.rbms[l]->init_from_data(p.prepare(l).x);  // as epoch 1 would
        for (int e = 1; e <= dbn.cfg.pretrain_epochs; e++) {
            double r = p.epoch(l, e);
            if (on_epoch) on_epoch(l + 1, e, r);
        }
    }
}

// ----------------------------------------------------------------------------------------------
// (a) the classifier

void build_classifier(Sequential& net, const std::string& prefix, const std::vector<int>& sizes, int classes, Rng& rng) {
    net.layers.clear();
    for (size_t l = 0; l + 1 < sizes.size(); l++) {
        net.add<Linear>(prefix + ".fc" + std::to_string(l + 1), sizes[l], sizes[l + 1], rng);
        net.add<Activation>(prefix + ".sigmoid" + std::to_string(l + 1), Act::Sigmoid);
    }
    net.add<Linear>(prefix + ".out", sizes.back(), classes, rng);
}

// the Linear layers of a net, in order
static std::vector<Linear*> linears(Sequential& net) {
    std::vector<Linear*> out;
    for (auto& m : net.layers)
        if (Linear* lin = dynamic_cast<Linear*>(m.get())) out.push_back(lin);
    return out;
}

void load_pretrained(Sequential& net, const DBN& dbn) {
    std::vector<Linear*> lin = linears(net);
    if ((int)lin.size() != dbn.layers() + 1) throw Error("load_pretrained: the net has " + std::to_string(lin.size()) + " Linear layers, the DBN " + std::to_string(dbn.layers()) + " RBMs (+1 softmax layer expected)");
    for (int l = 0; l < dbn.layers(); l++) {
        const RBM& r = *dbn.rbms[l];
        if (lin[l]->weight.value.shape != r.W.value.shape)
            throw shape_error("load_pretrained", lin[l]->weight.value.shape, r.W.value.shape, "the Linear layer and the RBM differ in size");
        lin[l]->weight.value.assign(r.W.value);  // (H, D) both: a Linear's (out, in) is the RBM's W
        lin[l]->bias.value.assign(r.c.value);
    }
}

double train_classifier_epoch(Sequential& net, Batcher& batches, Optimizer& opt, Tape& tape,
                              const std::function<void(int, double)>& on_batch) {
    return optimize_epoch("dbn classifier", batches, opt, tape, [&net](Tape& t, const Tensor& xb, const std::vector<int>& yb) {
        return cross_entropy(net(t.input(xb)), yb);
    }, on_batch);
}

// ----------------------------------------------------------------------------------------------
// (b) the deep autoencoder

DBNAutoencoder::DBNAutoencoder(const DBNConfig& c, uint64_t seed, const std::string& prefix_)
    : encoder(prefix_ + "encoder"), decoder(prefix_ + "decoder"), prefix(prefix_) {
    build(c, seed);
}

void DBNAutoencoder::build(const DBNConfig& c, uint64_t seed) {
    if (c.sizes.size() < 2) throw input_error("--layers: the autoencoder needs at least one hidden layer, got '" + sizes_str(c.sizes) + "'");
    cfg = c;
    Rng rng(seed);
    encoder.layers.clear();
    decoder.layers.clear();
    const int L = (int)cfg.sizes.size() - 1;
    for (int l = 0; l < L; l++) {  // encoder layer l+1: sizes[l] → sizes[l+1]
        std::string n = std::to_string(l + 1);
        encoder.add<Linear>(prefix + "encoder.fc" + n, cfg.sizes[l], cfg.sizes[l + 1], rng);
        if (!(cfg.linear_top && l == L - 1)) encoder.add<Activation>(prefix + "encoder.sigmoid" + n, Act::Sigmoid);
    }
    for (int l = L - 1; l >= 0; l--) {  // decoder layer L-l: sizes[l+1] → sizes[l], the mirror image
        std::string n = std::to_string(L - l);
        decoder.add<Linear>(prefix + "decoder.fc" + n, cfg.sizes[l + 1], cfg.sizes[l], rng);
        if (l > 0) decoder.add<Activation>(prefix + "decoder.sigmoid" + n, Act::Sigmoid);  // the last gives logits
    }
}

std::string DBNAutoencoder::arch() const { return sizes_str(cfg.sizes); }

std::vector<Param*> DBNAutoencoder::params() {
    std::vector<Param*> p = encoder.params(), d = decoder.params();
    p.insert(p.end(), d.begin(), d.end());
    return p;
}

void DBNAutoencoder::unroll(const DBN& dbn) {
    std::vector<Linear*> enc = linears(encoder), dec = linears(decoder);
    const int L = dbn.layers();
    if ((int)enc.size() != L || sizes_str(dbn.cfg.sizes) != arch() || dbn.cfg.linear_top != cfg.linear_top)
        throw Error("unroll: the DBN is " + dbn.arch() + " but the autoencoder " + arch() + (cfg.linear_top ? " linear top" : "") + "; build them from the same config");
    for (int l = 0; l < L; l++) {
        const RBM& r = *dbn.rbms[l];
        const int H = r.cfg.hidden, D = r.cfg.visible;
        enc[l]->weight.value.assign(r.W.value);  // (H, D): up, x → c + W x
        enc[l]->bias.value.assign(r.c.value);
        Tensor& Wt = dec[L - 1 - l]->weight.value;  // (D, H): down, h → b + Wᵀ h
        for (int j = 0; j < H; j++)
            for (int i = 0; i < D; i++) Wt.at(i, j) = r.W.value.at(j, i);
        dec[L - 1 - l]->bias.value.assign(r.b.value);
    }
}

// Σ_pixels BCE(decoder(encoder(x)), x) / B
Var DBNAutoencoder::loss(Tape& t, const Tensor& x) {
    Var xv = t.input(x);
    return bce_with_logits(decode_logits(encode(xv)), xv, Reduce::BatchMean);
}

double train_epoch(DBNAutoencoder& ae, Batcher& batches, Optimizer& opt, Tape& tape, const std::function<void(int, double)>& on_batch) {
    return optimize_epoch("dbn autoencoder", batches, opt, tape, [&ae](Tape& t, const Tensor& xb, const std::vector<int>&) {
        return ae.loss(t, xb);
    }, on_batch);
}

void evaluate(DBNAutoencoder& ae, const Dataset& d, double* loss, double* sq_error) {
    Batcher it(d, 1000, 0, false);
    Tape tape;
    Tensor xb;
    std::vector<int> yb;
    double l = 0, se = 0;
    while (it.next(xb, yb)) {
        tape.reset();
        NoGrad ng(tape);
        Var x = tape.input(xb);
        Var logits = ae.decode_logits(ae.encode(x));
        l += bce_with_logits(logits, x, Reduce::Sum).item();
        se += mse(sigmoid(logits), x, Reduce::Sum).item();
    }
    *loss = l / d.size();
    *sq_error = se / d.size();
}

// ----------------------------------------------------------------------------------------------
// Reducer

void DBNAutoencoder::fit(const Dataset& train, int dim, Rng& r) {
    DBNConfig c = cfg;
    c.sizes.front() = train.dim();
    c.sizes.back() = dim;
    DBN dbn(c, r.next_u64());
    pretrain(dbn, train.x, r.next_u64());
    build(c, r.next_u64());
    unroll(dbn);
    Adam opt(params(), cfg.finetune_lr);
    Batcher batches(train, cfg.finetune_batch, r.next_u64());
    Tape tape;
    for (int e = 0; e < cfg.finetune_epochs; e++) {
        batches.start_epoch(e);
        train_epoch(*this, batches, opt, tape);
    }
}

Tensor DBNAutoencoder::encode(const Tensor& x) {
    check_rows("dbn", x, cfg.sizes.front());  // a wrong width or a NaN: an input_error naming the model, not a matmul's
    Tape t;
    NoGrad ng(t);
    return encode(t.input(x)).value();
}

Tensor DBNAutoencoder::decode(const Tensor& z) {
    check_rows("dbn", z, cfg.sizes.back(), "decode input (codes)");
    Tape t;
    NoGrad ng(t);
    return sigmoid(decode_logits(t.input(z))).value();
}

void DBNAutoencoder::save(Checkpoint& ck) const {
    DBNAutoencoder& self = const_cast<DBNAutoencoder&>(*this);  // store_params reads the params, it changes nothing
    ck.set("model", name());
    ck.set("arch", arch());
    ck.set("linear_top", cfg.linear_top ? "1" : "0");
    store_params(ck, self.params());
}

void DBNAutoencoder::load(const Checkpoint& ck) {
    if (ck.get("model") != name()) throw input_error(ck.path + ": holds a '" + ck.get("model") + "' model, not a DBN autoencoder ('dbn')");
    DBNConfig c = cfg;
    c.sizes = parse_sizes(ck.get("arch"), ck.path + " arch");
    c.linear_top = ck.get("linear_top") == "1";
    build(c, 0);
    restore_params(ck, params());
}

// ----------------------------------------------------------------------------------------------
// either net, as examples/dbn fine-tunes it

FineTuned::FineTuned(const DBNConfig& cfg, bool cls, int classes, Rng init, bool baseline)
    : classify(cls), net(baseline ? "random" : "pretrained") {
    if (classify) build_classifier(net, baseline ? "random" : "pretrained", cfg.sizes, classes, init);
    else ae = std::make_unique<DBNAutoencoder>(cfg, init.state, baseline ? "random." : "");
}

void FineTuned::unroll(const DBN& dbn) {
    if (classify) load_pretrained(net, dbn);
    else ae->unroll(dbn);
}

double FineTuned::train_epoch(Batcher& batches, Optimizer& opt, Tape& tape, const std::function<void(int, double)>& on_batch) {
    return classify ? train_classifier_epoch(net, batches, opt, tape, on_batch) : tg::train_epoch(*ae, batches, opt, tape, on_batch);
}

GradcheckResult FineTuned::gradcheck(const Dataset& tiny, const GradcheckOptions& opt) {
    if (classify)
        return tg::gradcheck("dbn classifier cross-entropy", [&](Tape&, const std::vector<Var>& x) { return cross_entropy(net(x[0]), tiny.y); },
                             {tiny.x}, params(), opt);
    return tg::gradcheck("dbn autoencoder BCE", [&](Tape& t, const std::vector<Var>&) { return ae->loss(t, tiny.x); }, {}, params(), opt);
}

void FineTuned::evaluate(const Dataset& d, double* loss, double* metric) {
    if (classify) evaluate_classifier(net, d, loss, metric);
    else tg::evaluate(*ae, d, loss, metric);
}

}  // namespace tg
