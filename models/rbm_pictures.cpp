// rbm_pictures.cpp — filters, reconstructions and Gibbs chains as pictures that fit the data (rbm_pictures.h).
#include "models/rbm_pictures.h"

#include <algorithm>
#include <cstdio>

#include "io/png.h"
#include "io/samples.h"

namespace tg {

void write_rbm_pictures(const std::string& out, RBM& rbm, const Tensor& shown, const Tensor& chain_start, int gibbs_steps,
                        int filters, const Standardiser& st, const Dataset& like) {
    Tensor mh, recon;
    rbm.hidden_mean(shown, mh);
    rbm.visible_mean(mh, recon);
    if (!like.is_image()) {  // rows of features: six of them, each a panel, original beside reconstruction
        const int n = std::min(shown.rows(), 6);
        write_sample_rows(out + "/reconstructions.png", {{"original", st.undo(shown.first_slice(0, n))},
                                                         {"reconstruction", st.undo(recon.first_slice(0, n))}}, like);
        return;
    }
    GridOptions grid;
    grid.cols = 10;
    grid.scale = 2;
    write_image_grid(out + "/filters.png", filter_images(rbm, std::min(filters, rbm.cfg.hidden)), like.height, like.width, like.channels, grid);
    write_sample_rows(out + "/reconstructions.png", {{"original", st.undo(shown)}, {"reconstruction", st.undo(recon)}}, like);
    std::vector<std::pair<std::string, Tensor>> chains = gibbs_rows(rbm, chain_start, gibbs_steps);
    for (auto& row : chains) row.second = st.undo(row.second);
    write_sample_rows(out + "/gibbs_samples.png", chains, like);
}

std::string rbm_pictures_note(const Dataset& like) {
    if (like.is_image()) return "filters.png,reconstructions.png,gibbs_samples.png";
    printf("pictures: the rows are %d values, not images: reconstructions.png draws them feature by feature; filters.png and "
           "gibbs_samples.png (grids of images) are not written\n", like.dim());
    return "reconstructions.png";
}

}  // namespace tg
