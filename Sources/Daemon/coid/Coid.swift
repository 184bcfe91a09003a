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
        subcommands: [Run.self, ConfigCommand.self, Version.self],
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
            logger.critical("invalid configuration: \(error)")
            throw ExitCode(78) // EX_CONFIG: systemd will not restart-loop on a bad file
        }
        JournalLogHandler.level.withLock { $0 = loaded.logLevel }
        if let (before, after) = DescriptorLimit.raiseSoftToHard(), after > before {
            logger.info("raised the open-file limit from \(before) to \(after)")
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
        static let configuration = CommandConfiguration(abstract: "Check a config file and print the effective settings.")
        @Argument(help: "The config file.") var file: String
        func run() throws {
            do {
                let config = try DaemonConfig.load(overrides: .init(file: file))
                print("ok: \(file)")
                print("state_dir = \(config.stateDirectory)")
                print("socket = \(config.socketPath)")
                print("database = \(config.databasePath)")
                print("log_level = \(config.logLevel)")
                print("tls = \(config.tlsListener.map(\.description) ?? "off")")
                print("admin_group = \(config.identity.adminGroup)")
                if !config.anonymousReadPlugins.isEmpty {
                    print("anonymous_read = \(config.anonymousReadPlugins.sorted().joined(separator: ", "))")
                }
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                throw ExitCode(78)
            }
        }
    }
}

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the version.")
    func run() { print("coid \(Daemon.version)") }
}
