// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "DeportSim",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "deportsim", targets: ["deportsim"]),
        .library(name: "DeportSimCore", targets: ["DeportSimCore"]),
        .library(name: "DeportSimAnalysis", targets: ["DeportSimAnalysis"]),
        .library(name: "DeportSimIO", targets: ["DeportSimIO"]),
        .library(name: "DeportSimReport", targets: ["DeportSimReport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/JohnSundell/Plot", from: "0.14.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // The C boundary: GSL's headers, linked with or without a .pc file.
        .systemLibrary(
            name: "CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"])]
        ),
        // The only Swift target that imports CGSL: generators, samplers,
        // quasi-random sequences, running statistics and the minimizer.
        .target(name: "GSLSupport", dependencies: ["CGSL"]),
        // The model: scenario values, state, the day step, replications. No I/O.
        .target(name: "DeportSimCore", dependencies: ["GSLSupport"]),
        // What analysts do with runs, without files: comparison with targets,
        // calibration, paired differences, sweep designs and the sweep runner,
        // sensitivity designs (Saltelli, Morris) and their indices.
        .target(name: "DeportSimAnalysis", dependencies: ["DeportSimCore", "GSLSupport"]),
        // Parses scenario, target and sweep files into Core and Analysis
        // values; writes CSV, JSON and YAML outputs.
        .target(
            name: "DeportSimIO",
            dependencies: [
                "DeportSimCore", "DeportSimAnalysis", "GSLSupport",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The analyst's HTML report: chart geometry (pure), results-folder
        // readers and the page, built with Plot so every text is escaped.
        .target(
            name: "DeportSimReport",
            dependencies: [
                "DeportSimCore", "DeportSimAnalysis", "DeportSimIO",
                .product(name: "Plot", package: "Plot"),
                .product(name: "CSV", package: "CSV.swift"),
            ]
        ),
        .executableTarget(
            name: "deportsim",
            dependencies: [
                "DeportSimCore", "DeportSimAnalysis", "DeportSimIO", "DeportSimReport", "GSLSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // `swift run -c release deportsim-benchmark SCENARIO`: see the README.
        .executableTarget(
            name: "deportsim-benchmark",
            dependencies: ["DeportSimCore", "DeportSimIO", "GSLSupport"],
            path: "Benchmarks/Throughput"
        ),
        // The readers under libFuzzer: `Fuzz/run.sh SECONDS` (see the README).
        // Built normally it replays saved inputs: `deportsim-fuzz FILE...`.
        .target(name: "CFuzzDriver", path: "Fuzz/Driver"),
        .executableTarget(
            name: "deportsim-fuzz",
            dependencies: ["DeportSimIO", "CFuzzDriver"],
            path: "Fuzz/Harness"
        ),
        .testTarget(
            name: "DeportSimTests",
            dependencies: ["DeportSimCore", "DeportSimAnalysis", "DeportSimIO", "DeportSimReport", "GSLSupport", "deportsim",
                           .product(name: "PropertyBased", package: "swift-property-based")]
        ),
    ]
)
