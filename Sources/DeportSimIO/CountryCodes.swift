import DeportSimAnalysis

/// Country keys: three capital letters A-Z, as ISO 3166-1 alpha-3 codes
/// are (CHN, MEX). Groups of nationalities take a code of the same shape
/// outside ISO's list, such as `OTH` (CBP's "OTHER" in the southwest-border
/// scenario); ISO 3166-1 leaves AAA-AAZ, QMA-QZZ, XAA-XZZ and ZZA-ZZZ to
/// users for this. `ALL` is taken: it names every modelled country together.
enum CountryCodes {
    static func isValid(_ code: String) -> Bool {
        code.utf8.count == 3 && code.utf8.allSatisfy { (65...90).contains($0) } && code != "ALL"
    }

    /// Throws at `location` when `code` is not a country key, suggesting the code it may mean.
    static func check(_ code: String, at location: SourceLocation) throws {
        guard !isValid(code) else { return }
        let why = code == "ALL" ? "ALL names the modelled countries together"
            : "expected three capital letters A-Z (an ISO 3166-1 alpha-3 code such as CHN, or a group code such as OTH)"
        throw DeportSimError.badInput(location, "countries." + code, "\(why), found '\(code)'\(suggestion(for: code))")
    }

    /// "; did you mean 'IND'?" for `India`, `india` or `ind`; "" when nothing fits.
    static func suggestion(for text: String) -> String {
        let upper = text.uppercased()
        if upper != text, isValid(upper) { return "; did you mean '\(upper)'?" }
        let name = text.lowercased().replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: "-", with: " ")
        if let code = byName[name] { return "; did you mean '\(code)'?" }
        return ""
    }

    /// English short names of the nationalities DeportSim's data and
    /// scenarios deal with (the southwest border's named citizenships in
    /// data/swb_encounters_by_citizenship_monthly.csv, and their neighbours),
    /// with their ISO 3166-1 alpha-3 codes (ISO 3166 Maintenance Agency,
    /// https://www.iso.org/obp/ui/#search/code/).
    static let byName: [String: String] = [
        "afghanistan": "AFG", "angola": "AGO", "argentina": "ARG", "armenia": "ARM", "bangladesh": "BGD",
        "belize": "BLZ", "bolivia": "BOL", "brazil": "BRA", "burkina faso": "BFA", "cameroon": "CMR",
        "canada": "CAN", "chile": "CHL", "china": "CHN", "colombia": "COL", "costa rica": "CRI", "cuba": "CUB",
        "dominican republic": "DOM", "ecuador": "ECU", "egypt": "EGY", "el salvador": "SLV", "eritrea": "ERI",
        "ethiopia": "ETH", "georgia": "GEO", "ghana": "GHA", "guatemala": "GTM", "guinea": "GIN", "haiti": "HTI",
        "honduras": "HND", "india": "IND", "indonesia": "IDN", "iran": "IRN", "iraq": "IRQ", "jamaica": "JAM",
        "jordan": "JOR", "kazakhstan": "KAZ", "kyrgyzstan": "KGZ", "mauritania": "MRT", "mexico": "MEX",
        "myanmar": "MMR", "burma": "MMR", "nepal": "NPL", "nicaragua": "NIC", "nigeria": "NGA", "pakistan": "PAK",
        "panama": "PAN", "peru": "PER", "philippines": "PHL", "romania": "ROU", "russia": "RUS", "senegal": "SEN",
        "somalia": "SOM", "sri lanka": "LKA", "syria": "SYR", "tajikistan": "TJK", "turkey": "TUR", "turkiye": "TUR",
        "ukraine": "UKR", "united kingdom": "GBR", "uzbekistan": "UZB", "venezuela": "VEN", "vietnam": "VNM",
        "viet nam": "VNM", "yemen": "YEM",
    ]
}
