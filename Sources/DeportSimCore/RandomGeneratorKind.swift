internal import GSLSupport

/// The random generator a run uses (`--rng`, a sweep's `rng`), recorded in
/// run.json and sweep.json by its raw value.
///
/// `taus2` is the default: it is among GSL's fastest generators (Poisson
/// draws about 1.6x faster than `mt19937` on this project's machines, see
/// the README benchmark), has period 2^88 and passes the standard batteries
/// (L'Ecuyer 1996), and its 88-bit state can be filled from a 64-bit hash,
/// which per-day stream seeding needs (see `RandomStream.reseed`). The
/// others use 32 bits of a stream's seed.
public enum RandomGeneratorKind: String, CaseIterable, Sendable, Codable {
    case taus2
    case mt19937
    case ranlxd2
    case gfsr4

    /// The GSL generator behind the choice: kept out of the public API so
    /// that only GSLSupport knows GSL's types.
    var gslType: GSLGeneratorType {
        switch self {
        case .taus2: .taus2
        case .mt19937: .mt19937
        case .ranlxd2: .ranlxd2
        case .gfsr4: .gfsr4
        }
    }
}
