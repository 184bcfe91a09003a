/// The population register a wave draws from: one unit per workplace, with the values of the frame's
/// variables (level, sector, size class, municipality, region, …).
///
/// Values are text; the engine never interprets them beyond equality and byte order, so codes and
/// labels both work, as long as one wave uses them consistently.
public struct Frame: Sendable {
    /// One unit of the frame.
    public struct Unit: Sendable, Equatable {
        public var id: String
        /// One value per frame variable, in the frame's variable order.
        public var values: [String]
        /// Creates a unit.
        /// - Parameters:
        ///   - id: The unit id, unique in the frame.
        ///   - values: Its values, in the frame's variable order.
        public init(id: String, values: [String]) {
            self.id = id
            self.values = values
        }
    }

    public let variables: [String]
    public let units: [Unit]

    /// Creates a frame, refusing duplicate variables or unit ids, empty ids and rows of the wrong width.
    /// - Parameters:
    ///   - variables: The variable names.
    ///   - units: The units.
    /// - Throws: `DesignError`.
    public init(variables: [String], units: [Unit]) throws(DesignError) {
        var seenVariables: Set<String> = []
        for variable in variables where !seenVariables.insert(variable).inserted {
            throw .duplicateVariable(variable)
        }
        var seenUnits: Set<String> = []
        seenUnits.reserveCapacity(units.count)
        for (index, unit) in units.enumerated() {
            if unit.id.isEmpty { throw .emptyUnitID(index: index) }
            if !seenUnits.insert(unit.id).inserted { throw .duplicateUnit(unit.id) }
            if unit.values.count != variables.count {
                throw .valueCount(unit: unit.id, expected: variables.count, found: unit.values.count)
            }
        }
        self.variables = variables
        self.units = units
    }

    /// The position of a variable.
    /// - Parameter variable: The variable name.
    /// - Returns: Its index in `variables`.
    /// - Throws: `DesignError.unknownVariable`.
    public func column(_ variable: String) throws(DesignError) -> Int {
        guard let index = variables.firstIndex(of: variable) else { throw .unknownVariable(variable) }
        return index
    }

    /// The units of each stratum, as indices into `units`.
    /// - Parameter variables: The stratification variables (none: one stratum of everything).
    /// - Returns: Unit indices by stratum.
    /// - Throws: `DesignError.unknownVariable`.
    public func strata(by variables: [String]) throws(DesignError) -> [StratumKey: [Int]] {
        var columns: [Int] = []
        for variable in variables { columns.append(try column(variable)) }
        var strata: [StratumKey: [Int]] = [:]
        for (index, unit) in units.enumerated() {
            strata[StratumKey(columns.map { unit.values[$0] }), default: []].append(index)
        }
        return strata
    }

    /// N_h: how many units each stratum holds.
    /// - Parameter variables: The stratification variables.
    /// - Returns: Population size by stratum.
    /// - Throws: `DesignError.unknownVariable`.
    public func populationSizes(strata variables: [String]) throws(DesignError) -> [StratumKey: Int] {
        try strata(by: variables).mapValues(\.count)
    }

    /// How many units have each value of a variable: the population margin that raking adjusts to.
    /// - Parameter variable: The variable name.
    /// - Returns: Count by value.
    /// - Throws: `DesignError.unknownVariable`.
    public func totals(of variable: String) throws(DesignError) -> [String: Double] {
        let index = try column(variable)
        var totals: [String: Double] = [:]
        for unit in units { totals[unit.values[index], default: 0] += 1 }
        return totals
    }
}
