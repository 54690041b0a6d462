// What the worker publishes for the "why" views besides the Stage I log (whose rows carry the probe and Lemma 1's
// margin): the feature-space maps and the energy landscapes. Immutable once published (shared between snapshots).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "numerics/energy_landscape.h"
#include "numerics/feature_projection.h"

namespace studio {
// The normalized features on their top two principal components, MHM (W = I, fixed) beside U-Hop (current W; each
// frame Procrustes-aligned to the previous one, the first to MHM's), with the Stage II trajectories on the same axes.
struct FeatureMapView {
  uint64_t version = 0;          // increases with every recomputation
  uint64_t memory_version = 0;   // the memory set the maps are of
  int stage1_step = 0;           // the W the U-Hop map shows
  uhop::FeatureMap2d mhm, uhop;  // points M x 2
  double seconds = 0;            // what the last U-Hop frame cost to compute
};

// E on the plane q + a (xi_I - q) + b (xi_J - q) for MHM and U-Hop (the Stage II alpha and beta), coarse first.
struct LandscapeView {
  uint64_t version = 0;
  std::string error;          // why there is no landscape (e.g. top-k has no energy); the grids are then empty
  int target = 0, rival = 1;  // I and J
  bool rival_auto = true;     // J was chosen by the default rule (uhop::default_rival)
  bool fine = false;          // the full N x N grid (else the coarse one, or the fine one is still computing)
  int stage1_step = 0;        // the W of the U-Hop landscape
  double alpha = 1, beta = 1;
  uhop::LandscapePlane plane;
  std::vector<double> a, b;                // the grid's axes
  uhop::Matrix energy_mhm, energy_kernel;  // a.size() x b.size(), row i = a_i
  double seconds = 0;                      // the last grid's computing time
};

// The views' part of a StudioSnapshot. The trajectories are projected at every publish (cheap); the maps and grids
// are shared until recomputed.
struct InsightSnapshot {
  std::shared_ptr<const FeatureMapView> feature_map;
  std::shared_ptr<const LandscapeView> landscape;
  std::vector<uhop::Vector> baseline_trajectory;                         // the MHM run's x_0..x_T
  uhop::Matrix map_trajectory, map_mhm_trajectory;                       // on the U-Hop / MHM map's axes ((T+1) x 2)
  std::vector<uhop::PlanePoint> plane_trajectory, plane_mhm_trajectory;  // on the landscape's plane
  int probe_every = 1;                                                   // the probe runs every k-th Stage I step
  double probe_seconds = 0;                                              // the last probe's cost
  double stage1_seconds = 0;    // a Stage I step's cost without the probe (smoothed)
  bool landscape_live = false;  // recomputed whenever W, the query or the settings change
  bool landscape_computing = false;
};
}  // namespace studio
