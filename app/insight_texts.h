// The words of the "why" views, in one place so the panels, their tooltips and the first-launch story can share them.
// Each help text is two sentences: what the view shows, then what to look for.
#pragma once

namespace studio::insight_text {
inline constexpr const char* kProbeTitle = "Retrieval quality while Stage I trains";
inline constexpr const char* kProbeHelp =
    "Every memory is queried once under the current corruption (fixed seeds) and retrieved in one batch with the "
    "current W (U-Hop) and with W = I (MHM, the flat dashed line): mean paper error ‖clip(ξ_μ) - clip(x_T)‖² and the "
    "fraction whose x_T is nearest to its own memory. Watch U-Hop's error fall and its fraction rise above MHM's "
    "while the separation loss trains W: that is the paper's claim happening live, for all queries at once.";
inline constexpr const char* kProbeSettingsTip =
    "T and β of the probe's retrieval (the paper's sweeps use T = 1, β = 1; α comes from Stage II). The probe runs "
    "every k-th step, k chosen from measured costs so Stage I keeps at least 80 % of its speed (or fixed here).";

inline constexpr const char* kMarginTitle = "Why this query is retrieved: its margin, and Lemma 1's worst case";
inline constexpr const char* kMarginHelp =
    "The query's margin is the gap between the target's score and the best rival's at x_t: in pixels for MHM "
    "(<ξ, x>), in feature space for U-Hop (K(ξ, x) = <Wξ, Wx>). At or above ln(M-1)/β the target's softmax weight "
    "is at least ½; below 0 a rival outweighs it. That decides this query. Lemma 1 (the lower plots) is a worst case "
    "over every query in the sphere ‖Wx - Wξ_μ‖ ≤ R_Φ: its margin Δ^Φ_μ - 2 m_Φ R_Φ must pass ln(M-1)/β before the "
    "bound 2m(M-1)·exp(-β·margin) says anything, and on most real data it never does.";
inline constexpr const char* kEpsilonTip =
    "ε for β* = ln(2m(M-1)/ε) / margin: the inverse temperature above which Lemma 1 guarantees ‖T(x) - ξ_μ‖ < ε "
    "for queries inside the sphere ‖Wx - Wξ_μ‖ ≤ R_Φ.";

inline constexpr const char* kFeatureMapTitle = "Feature space: the memories on their two main axes";
inline constexpr const char* kFeatureMapHelp =
    "Each dot is a memory's normalized feature f_μ = Wξ_μ/‖Wξ_μ‖ on the top two principal components (MHM: W = I, "
    "the pixels; U-Hop: the current W), coloured by class, the target marked, the Stage II trajectory drawn on the "
    "same axes. Watch the look-alikes that crowd together for MHM spread apart as Stage I trains (each frame is "
    "turned to match the last one, so the dots move instead of flipping).";

inline constexpr const char* kLandscapeTitle = "Energy landscape through the query, the target and a rival";
inline constexpr const char* kLandscapeHelp =
    "The energy E(x) = ½K(x,x) - (1/β)Ψ*(βk(x)) on the plane x = q + a(ξ_I - q) + b(ξ_J - q): the query q at "
    "(0,0), the target ξ_I at (1,0), the rival ξ_J (what MHM retrieved, or the nearest other memory) at (0,1); dark "
    "is low (colour bar), the lines are iso-energy lines, the red path is the retrieval's shadow on the plane. E "
    "includes ½K(x,x), which grows with the length of x, so a rival with a smaller norm can sit lower than the "
    "target's basin; each step still lowers E, and where MHM's step lands near the rival U-Hop's trained kernel "
    "lands near the target.";
inline constexpr const char* kRivalTip =
    "The second memory J of the plane. auto: the memory MHM retrieves, or (when MHM is right) the memory nearest to "
    "the query among the others. Click a memory thumbnail to change the target.";
inline constexpr const char* kGridTip =
    "N x N points over a, b in [-0.25, 1.25]; a 32 x 32 grid comes first, then the full one. It follows W, the query "
    "and the Stage II settings until Stop (or Cancel).";
}  // namespace studio::insight_text
