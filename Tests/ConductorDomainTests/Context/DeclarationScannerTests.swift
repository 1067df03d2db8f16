import ConductorDomain
import Testing

/// The built-in scanner on small, real-looking snippets of each language: names, kinds,
/// lines, end lines and scopes.
@Suite("DeclarationScanner")
struct DeclarationScannerTests {
    /// `name kind line-end scope` for each symbol, for compact comparisons.
    func summary(_ source: String, _ path: String) -> [String] {
        DeclarationScanner.symbols(in: Array(source.utf8), path: path).map { symbol in
            "\(symbol.name) \(symbol.kind.rawValue) \(symbol.line)-\(symbol.endLine.map(String.init) ?? "?")" + (symbol.scope.map { " \($0)" } ?? "")
        }
    }

    @Test("Swift: types, methods, properties, extensions, enum cases; braces in strings and comments ignored")
    func swift() {
        let source = """
        import Foundation

        /// A server. { not a brace }
        public final class Server {
            let port: Int
            private(set) var isRunning = false

            public init(port: Int) {
                self.port = port
                let local = "}"
            }

            @discardableResult
            func start(on host: String) throws -> Bool {
                if host.isEmpty { return false } // }
                return true
            }
        }

        extension Server: CustomStringConvertible {
            public var description: String {
                "server on \\(port)"
            }
        }

        enum Mode: String {
            case fast, slow
            case careful
        }

        protocol Starting {
            func start(on host: String) throws -> Bool
        }

        func main() {
            let server = Server(port: 8080)
        }
        """
        #expect(summary(source, "Sources/Server.swift") == [
            "Server type 4-18",
            "port property 5-5 Server",
            "isRunning property 6-6 Server",
            "init method 8-11 Server",
            "start method 14-17 Server",
            "description property 21-23 Server",
            "Mode type 26-29",
            "fast property 27-27 Mode",
            "careful property 28-28 Mode",
            "Starting type 31-33",
            "start method 32-32 Starting",
            "main function 35-37",
        ])
        let start = DeclarationScanner.symbols(in: Array(source.utf8), language: .swift).first { $0.line == 14 }
        #expect(start?.signature == "func start(on host: String) throws -> Bool {")
    }

    @Test("Swift: multi-line signatures, multi-line strings and nested block comments")
    func swiftMultiline() {
        let source = #"""
        struct Parser {
            func parse(
                _ text: String,
                strict: Bool
            ) -> Int
            {
                let help = """
                func fake() {
                """
                return 0
            }
            /* outer /* inner } */ still comment { */
            static let shared = Parser()
        }
        """#
        #expect(summary(source, "Parser.swift") == [
            "Parser type 1-14",
            "parse method 2-11 Parser",
            "shared property 13-13 Parser",
        ])
    }

    @Test("Python: classes, methods, functions, constants; ends by indentation, docstrings skipped")
    func python() {
        let source = """
        import os

        MAX_RETRIES = 3


        class Client(Base):
            \"\"\"A client.
        def not_a_function():
            \"\"\"
            timeout: int = 30

            def __init__(self, host):
                self.host = host

            @property
            async def fetch(self, path,
                            retries=MAX_RETRIES):
                if path:
                    return await self.get(path)
                # trailing comment

        def helper(x):
            def inner():
                pass
            return x
        """
        #expect(summary(source, "client.py") == [
            "MAX_RETRIES variable 3-3",
            "Client type 6-19",
            "timeout property 10-10 Client",
            "__init__ method 12-13 Client",
            "fetch method 16-19 Client",
            "helper function 22-25",
        ])
    }

    @Test("Go: functions, methods with receivers, struct fields, interface methods, const groups")
    func go() {
        let source = """
        package server

        const (
            DefaultPort = 8080
            maxConns    = 100
        )

        type Server struct {
            Addr string
            conns int
        }

        type Handler interface {
            Serve(conn net.Conn) error
        }

        func (s *Server) Start() error {
            if s.Addr == "}" {
                return nil
            }
            return nil
        }

        func New(addr string) *Server {
            return &Server{Addr: addr}
        }
        """
        #expect(summary(source, "server.go") == [
            "DefaultPort variable 4-4",
            "maxConns variable 5-5",
            "Server type 8-11",
            "Addr property 9-9 Server",
            "conns property 10-10 Server",
            "Handler type 13-15",
            "Serve method 14-14 Handler",
            "Start method 17-22 Server",
            "New function 24-26",
        ])
    }

    @Test("Rust: structs, enums, traits, impl blocks (scope = the type), functions, macros, lifetimes")
    func rust() {
        let source = """
        #[derive(Debug)]
        pub struct Config<'a> {
            pub name: &'a str,
            retries: u32,
        }

        pub enum Mode {
            Fast,
            Slow(u32),
        }

        impl<'a> fmt::Display for Config<'a> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.name)
            }
        }

        pub(crate) async fn run(config: &Config<'_>) -> Result<(), Error> {
            let c = '{';
            Ok(())
        }

        macro_rules! retry {
            ($e:expr) => { $e };
        }

        const LIMIT: usize = 10;
        """
        #expect(summary(source, "src/lib.rs") == [
            "Config type 2-5",
            "name property 3-3 Config",
            "retries property 4-4 Config",
            "Mode type 7-10",
            "Fast property 8-8 Mode",
            "Slow property 9-9 Mode",
            "fmt method 13-15 Config",
            "run function 18-21",
            "retry macro 23-25",
            "LIMIT variable 27-27",
        ])
    }

    @Test("C and C++: functions with bodies (prototypes dropped), structs, members, macros, namespaces, Class::method")
    func cFamily() {
        let c = """
        #include <stdio.h>
        #define BUFFER_SIZE 1024

        struct buffer {
            char *data;
            size_t length;
        };

        static int count = 0;

        int parse(const char *text);

        int parse(const char *text)
        {
            if (text == NULL) { return -1; }
            return 0;
        }

        typedef void (*handler_t)(int);
        """
        #expect(summary(c, "src/parse.c") == [
            "BUFFER_SIZE macro 2-2",
            "buffer type 4-7",
            "data property 5-5 buffer",
            "length property 6-6 buffer",
            "count variable 9-9",
            "parse function 13-17",
            "handler_t type 19-19",
        ])
        let cpp = """
        namespace net {

        class Connection : public Base {
        public:
            Connection(int fd);
            void close();
            int fd() const { return fd_; }
        private:
            int fd_;
        };

        Connection::Connection(int fd) : fd_(fd) {
        }

        void Connection::close() {
            ::close(fd_);
        }

        }  // namespace net
        """
        #expect(summary(cpp, "src/connection.cpp") == [
            "net module 1-19",
            "Connection type 3-10 net",
            "fd method 7-7 Connection",
            "fd_ property 9-9 Connection",
            "Connection method 12-13 Connection",
            "close method 15-17 Connection",
        ])
    }

    @Test("Java: classes, interfaces, enums, fields, constructors and methods")
    func java() {
        let source = """
        package com.example;

        @Service
        public class OrderService implements Service {
            private static final int LIMIT = 10;
            private final Repository repository;

            public OrderService(Repository repository) {
                this.repository = repository;
            }

            @Override
            public List<Order> findOrders(String customer) throws IOException {
                return repository.find(customer);
            }
        }

        interface Service {
            List<Order> findOrders(String customer) throws IOException;
        }

        enum Status { OPEN, CLOSED }
        """
        #expect(summary(source, "src/main/java/OrderService.java") == [
            "OrderService type 4-16",
            "LIMIT property 5-5 OrderService",
            "repository property 6-6 OrderService",
            "OrderService method 8-10 OrderService",
            "findOrders method 13-15 OrderService",
            "Service type 18-20",
            "findOrders method 19-19 Service",
            "Status type 22-22",
        ])
    }

    @Test("JavaScript and TypeScript: functions, classes, methods, arrow functions, interfaces, types")
    func script() {
        let source = """
        import { thing } from './thing';

        export const DEFAULT_TIMEOUT = 30;

        export async function fetchUser(id) {
            const url = `/users/${id}}`;
            return get(url);
        }

        export const formatName = (user) => {
            return user.name;
        };

        export default class UserStore extends Store {
            cache = new Map();

            constructor(api) {
                super();
                this.api = api;
            }

            async load(id) {
                if (!id) { return null; }
                return this.api.get(id);
            }
        }
        """
        #expect(summary(source, "src/user.js") == [
            "DEFAULT_TIMEOUT variable 3-3",
            "fetchUser function 5-8",
            "formatName function 10-12",
            "UserStore type 14-26",
            "cache property 15-15 UserStore",
            "constructor method 17-20 UserStore",
            "load method 22-25 UserStore",
        ])
        let typescript = """
        export interface User {
            id: string;
            name?: string;
        }

        export type UserID = string;

        export enum Role {
            Admin,
            Guest = "guest",
        }
        """
        #expect(summary(typescript, "src/user.ts") == [
            "User type 1-4",
            "id property 2-2 User",
            "name property 3-3 User",
            "UserID type 6-6",
            "Role type 8-11",
            "Admin property 9-9 Role",
            "Guest property 10-10 Role",
        ])
    }

    @Test("Kotlin, C#, Ruby and PHP: the main declarations")
    func otherLanguages() {
        #expect(summary("""
        class Cache(val size: Int) {
            fun get(key: String): String? {
                return null
            }
        }
        fun main() {
        }
        """, "Cache.kt") == ["Cache type 1-5", "get method 2-4 Cache", "main function 6-7"])
        #expect(summary("""
        namespace App.Services {
            public class Mailer {
                public string Host { get; set; }
                public void Send(string to) {
                }
            }
        }
        """, "Mailer.cs") == [
            "App.Services module 1-7", "Mailer type 2-6 App.Services", "Host property 3-3 Mailer", "Send method 4-5 Mailer",
        ])
        #expect(summary("""
        module Billing
          class Invoice
            def total
              items.sum
            end

            def self.build(attrs)
              new(attrs)
            end
          end
        end
        """, "app/invoice.rb") == [
            "Billing type 1-11", "Invoice type 2-10 Billing", "total method 3-5 Invoice", "build method 7-9 Invoice",
        ])
        #expect(summary("""
        <?php
        class Router {
            private $routes = [];
            public function add($path) {
                $this->routes[] = $path;
            }
        }
        function helper() {
        }
        """, "src/Router.php") == [
            "Router type 2-7", "routes property 3-3 Router", "add method 4-6 Router", "helper function 8-9",
        ])
    }

    @Test("unknown languages give no symbols; an empty file gives none")
    func unknown() {
        #expect(DeclarationScanner.symbols(in: Array("# Title\n".utf8), path: "README.md").isEmpty)
        #expect(DeclarationScanner.symbols(in: [], path: "empty.swift").isEmpty)
        #expect(DeclarationScanner.symbols(in: Array("\n\n".utf8), path: "blank.py").isEmpty)
    }
}
