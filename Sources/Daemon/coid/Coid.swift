import ArgumentParser
import COIBuiltInPlugins
import COIHost
import COIPluginKit
import Foundation
import Logging

/// The plugins compiled into this build, in registration order.
let registeredPlugins: [any Plugin] = BuiltInPlugins.all

@main
struct Coid: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coid",
        abstract: "The Center for Public Innovation server: all programmes behind one socket API.",
        discussion: """
            With no file, coid keeps its database and socket under ./.state (or under systemd's \
            $STATE_DIRECTORY and $RUNTIME_DIRECTORY). Precedence: defaults < --config file < \
            COID_* environment < flags. SIGHUP reloads the log level and limits; SIGTERM/SIGINT \
            drain in-flight calls and stop.
            """,
        version: Daemon.version,
        subcommands: [Run.self, ConfigCommand.self, Restore.self, Version.self],
        defaultSubcommand: Run.self)
}

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the daemon (the default).")

    @Option(name: .long, help: "Config file (TOML). Default: none, or $COID_CONFIG.")
    var config: String?
    @Option(name: .long, help: "State directory for the database. Default: ./.state")
    var stateDir: String?
    @Option(name: .long, help: "Unix socket to listen on. Default: <state-dir>/coid.sock")
    var socket: String?
    @Option(name: .long, help: "trace|debug|info|notice|warning|error|critical")
    var logLevel: String?

    func run() async throws {
        LoggingSystem.bootstrap(JournalLogHandler.init)
        let logger = Logger(label: "coid")
        let overrides = DaemonConfig.Overrides(file: config, stateDirectory: stateDir, socketPath: socket, logLevel: logLevel)
        let loaded: DaemonConfig
        do {
            loaded = try DaemonConfig.load(overrides: overrides)
        } catch {
            for problem in error.all { logger.critical("invalid configuration: \(problem)") }
            throw ExitCode(78) // EX_CONFIG: systemd will not restart-loop on a bad file
        }
        JournalLogHandler.level.withLock { $0 = loaded.logLevel }
        if let (before, after) = DescriptorLimit.raiseSoftToHard(), after > before {
            logger.info("raised the open-file limit from \(before) to \(after)")
        }
        if let loops = EventLoopCount.applyAffinity() {
            logger.info("event loops: \(loops), one per CPU this process may run on")
        }
        do {
            try await Daemon(config: loaded, overrides: overrides, plugins: registeredPlugins, logger: logger).run()
        } catch {
            logger.critical("coid cannot start: \(error)")
            throw ExitCode.failure
        }
    }
}

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Show or check the configuration.",
        subcommands: [Default.self, Check.self])

    struct Default: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the commented default configuration.")
        func run() {
            print(DaemonConfig.defaultText(plugins: registeredPlugins), terminator: "")
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a config file and print the effective settings.",
            discussion: """
                With no FILE: $COID_CONFIG, else \(ConfigCommand.installedFile) (what coid.service runs with), \
                else the defaults. Every problem in the file is reported, not only the first. Exit codes: \
                0 valid, 78 invalid (EX_CONFIG, as coid itself exits on a bad file).
                """)
        @Argument(help: "The config file. Default: $COID_CONFIG, else \(ConfigCommand.installedFile) if it exists.")
        var file: String?
        func run() throws {
            let file = self.file ?? ConfigCommand.defaultFile()
            let config = try ConfigCommand.loadOrExit(file: file, stateDirectory: nil)
            print(file.map { "ok: \($0)" } ?? "ok: no config file (\(ConfigCommand.installedFile) does not exist, $COID_CONFIG is unset): the defaults")
            print("state_dir = \(config.stateDirectory)")
            print("socket = \(config.socketPath)")
            print("database = \(config.databasePath)")
            print("log_level = \(config.logLevel)")
            print("tls = \(config.tlsListener.map(\.description) ?? "off")")
            print("metrics = \(config.metrics.summary)")
            print("admin_group = \(config.identity.adminGroup)")
            if !config.anonymousReadPlugins.isEmpty {
                print("anonymous_read = \(config.anonymousReadPlugins.sorted().joined(separator: ", "))")
            }
        }
    }

    /// Where the Debian package and the docs install the config, and what coid.service passes.
    static let installedFile = "/etc/coid/coid.toml"

    /// The file an offline command works on when none is named: $COID_CONFIG, else the installed
    /// file if there is one (`coid config check` and `coid restore` on a server need no arguments).
    static func defaultFile(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let file = environment["COID_CONFIG"], !file.isEmpty { return file }
        return FileManager.default.fileExists(atPath: installedFile) ? installedFile : nil
    }

    /// Loads the configuration, or prints every problem and exits 78 (EX_CONFIG).
    static func loadOrExit(file: String?, stateDirectory: String?) throws -> DaemonConfig {
        do {
            return try DaemonConfig.load(overrides: .init(file: file, stateDirectory: stateDirectory))
        } catch {
            let problems = error.all
            let lines = problems.map { "error: \($0)\n" }.joined()
                + (problems.count > 1 ? "\(problems.count) problems; coid does not start with this configuration\n" : "")
            FileHandle.standardError.write(Data(lines.utf8))
            throw ExitCode(78)
        }
    }
}

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the version.")
    func run() { print("coid \(Daemon.version)") }
}
