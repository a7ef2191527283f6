// rbm_pictures.h — an RBM's pictures after an epoch, drawn as the data is: for image rows, filters.png (the
// first hidden units' weights as images), reconstructions.png and gibbs_samples.png (in colour for RGB rows);
// for rows of features (a CSV), reconstructions.png feature by feature (io/samples.h), and no filters or Gibbs
// grids, which only read as pictures of images (rbm_pictures_note says so once). The model: models/rbm.h.
#pragma once
#include <string>

#include "data/dataset.h"
#include "data/standardise.h"
#include "models/rbm.h"

namespace tg {

// Writes the pictures under `out`: `shown` (n, D) test rows and their reconstructions; Gibbs chains from
// `chain_start`, `gibbs_steps` long; `filters` hidden units. `st` maps standardised rows back for drawing.
void write_rbm_pictures(const std::string& out, RBM& rbm, const Tensor& shown, const Tensor& chain_start, int gibbs_steps,
                        int filters, const Standardiser& st, const Dataset& like);

// The files write_rbm_pictures makes for `like`'s rows ("filters.png,reconstructions.png,gibbs_samples.png",
// or "reconstructions.png"), after printing, for rows that are not images, a line saying which it skips and why.
std::string rbm_pictures_note(const Dataset& like);

}  // namespace tg
