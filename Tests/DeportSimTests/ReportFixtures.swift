import Foundation

/// Small results folders written by hand, one per kind, for the report tests.
enum ReportFixtures {
    static func makeFolder(_ files: [String: String]) throws -> String {
        let path = NSTemporaryDirectory() + "deportsim-report-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8) }
        return path
    }

    static let periods = [("2024-01-01", "2024-01-31"), ("2024-02-01", "2024-02-29"), ("2024-03-01", "2024-03-31")]

    /// summary.csv for CHN, MEX and ALL over three months; the restriction
    /// rule is on for 20 of 29 days in February only.
    static func summaryCSV(countries: [String] = ["CHN", "MEX"]) -> String {
        var out = "period_start,period_end,country,metric,mean,sd,p05,p50,p95\n"
        for (p, (a, b)) in periods.enumerated() {
            for c in countries + ["ALL"] {
                let k = Double(p + 1) * (c == "ALL" ? 3 : 1)
                for (metric, base) in [("encounters", 2000.0), ("book_ins", 300.0), ("removals", 150.0), ("released_at_limit", 0.0),
                                       ("pending", 120000.0), ("at_large", 38000.0), ("detained", 400.0)] {
                    let m = base * k
                    out += "\(a),\(b),\(c),\(metric),\(m),\(m * 0.05),\(m * 0.9),\(m),\(m * 1.1)\n"
                }
            }
            let restriction = p == 1 ? 20.0 : 0.0
            out += "\(a),\(b),ALL,restriction_days,\(restriction),1,\(restriction),\(restriction),\(restriction)\n"
            out += "\(a),\(b),ALL,encounters_total,\(9000 * (p + 1)),10,8000,9000,10000\n"
            for (metric, v) in [("cost_detention", 4_000_000.0), ("cost_charter", 1_200_000.0), ("cost_commercial", 300_000.0)] {
                out += "\(a),\(b),ALL,\(metric),\(v),1,\(v * 0.9),\(v),\(v * 1.1)\n"
            }
            out += "\(a),\(b),ALL,cost_total,5500000,1,5000000,5500000,6000000\n"
        }
        return out
    }

    static func runJSON(name: String = "fixture-run", description: String = "a small hand-written run",
                        eventNote: String = "Beijing resumes coordination") -> String {
        let object: [String: Any] = [
            "tool": "deportsim", "tool_version": "0.1.0", "gsl_version": "2.7.1",
            "scenario_name": name, "scenario_description": description, "scenario_file": "fixture.yaml",
            "scenario_sha256": String(repeating: "ab", count: 32), "seed": 7, "replications": 10, "period": "month",
            "start_time": "2024-06-01T10:00:00Z",
            "parameters": [
                "name": name,
                "countries": ["CHN": ["name": "China"], "MEX": ["name": "Mexico"]],
                "border": ["restrictions": ["activate_at": 2500, "deactivate_below": 1500, "effective": "2024-01-01"]],
                "events": [["date": "2024-02-10", "note": eventNote, "set": ["countries.CHN.travel_documents.cooperation": 0.8]],
                           ["date": "2024-03-05", "set": ["capacity.detention_beds": NSNull()]]],
            ] as [String: Any],
        ]
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    static let flightsCSV = """
    replication,date,route,countries,seats,boarded,status,boarded_by_country
    0,2024-01-10,china-charter,CHN,120,110,flown,CHN=110
    0,2024-02-21,china-charter,CHN,120,0,cancelled_load,CHN=0
    1,2024-01-12,china-charter,CHN,120,120,flown,CHN=120
    1,2024-02-20,china-charter,CHN,120,95,flown,CHN=95
    0,2024-03-03,mex-shuttle,MEX,60,60,flown,MEX=60
    1,2024-03-04,mex-shuttle,MEX,60,0,cancelled_cap,MEX=0

    """

    /// Targets: one drawn on the CHN encounters chart (a chart period), one
    /// fiscal year (table only), one stock (drawn at the period's end), one failing.
    static let comparisonCSV = """
    metric,country,period,reported,mean,p05,p95,relative_error,within_interval,source,tolerance,pass
    encounters,CHN,2024-02,4100,4000,3600,4400,-0.0244,true,"CBP monthly, cited in ""DHS"" release",0.1,true
    removals,CHN,FY2024,700,900,800,1000,0.2857,false,ICE annual report,0.1,false
    detained,CHN,2024-03-31,1250,1200,1080,1320,-0.04,true,ICE detention statistics,0.1,true

    """

    static func runFolder(withFlights: Bool = true) throws -> String {
        var files = ["summary.csv": summaryCSV(), "run.json": runJSON()]
        if withFlights { files["flights.csv"] = flightsCSV }
        return try makeFolder(files)
    }

    static func comparisonFolder() throws -> String {
        try makeFolder(["summary.csv": summaryCSV(), "run.json": runJSON(), "comparison.csv": comparisonCSV])
    }

    static func sweepFolder() throws -> String {
        var outcomes = "point,outcome,mean,sd,p05,p50,p95\n"
        var points = "point,countries.CHN.deterrence.elasticity,routes.china-charter.schedule.every_days\n"
        for i in 0..<6 {
            let elasticity = Double(i) * 2.0, every = [21, 28, 42][i % 3]
            points += "\(i),\(elasticity),\(every)\n"
            let removals = 5000 - 200 * elasticity + Double(every)
            outcomes += "\(i),removals_fy24,\(removals),100,\(removals - 150),\(removals),\(removals + 150)\n"
            outcomes += "\(i),peak_detained,\(1000 + 10 * every),20,\(970 + 10 * every),\(1000 + 10 * every),\(1030 + 10 * every)\n"
        }
        let sweep = #"{"scenario_name": "fixture-sweep", "seed": 7, "replications": 20, "tool_version": "0.1.0", "gsl_version": "2.7.1", "design": "latin_hypercube"}"#
        return try makeFolder(["points.csv": points, "outcomes_summary.csv": outcomes, "sweep.json": sweep])
    }

    static func differenceFolder() throws -> String {
        var out = "variant,period_start,period_end,country,metric,baseline_mean,variant_mean,difference_mean,difference_p05,difference_p95,relative_change\n"
        for variant in ["charter-3w", "no-cooperation"] {
            for (p, (a, b)) in periods.enumerated() {
                for country in ["ALL", "CHN"] {
                    for (metric, base) in [("removals", 150.0), ("detained", 400.0)] {
                        let baseline = base * Double(p + 1), v = baseline * (variant == "charter-3w" ? 1.2 : 0.7)
                        let d = v - baseline
                        out += "\(variant),\(a),\(b),\(country),\(metric),\(baseline),\(v),\(d),\(d - 20),\(d + 20),\(d / baseline)\n"
                    }
                }
            }
        }
        out += "charter-3w,2024-01-01,2024-01-31,ALL,released_at_limit,0,0,0,0,0,NA\n"
        return try makeFolder(["difference.csv": out, "run.json": runJSON(name: "fixture-diff")])
    }

    /// Occurrences of a substring.
    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }
}
