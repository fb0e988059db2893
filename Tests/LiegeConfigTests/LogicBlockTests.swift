import Testing
@testable import LiegeConfig

@Suite struct LogicBlockTests {
    @Test func forRepeatsLinesWithUnderscore() {
        let box = Sandbox()
        #expect(box.values(ini: "for = a b c\nenv = X_%(_)=1\nendfor\n", "env") == ["X_a=1", "X_b=1", "X_c=1"])
    }

    @Test func ifEnvAndIfNotEnv() {
        let box = Sandbox(environment: ["STAGE": "prod", "EMPTY": ""])
        let body = """
        if-env = STAGE
        env = HAS_STAGE=1
        endif
        if-env = STAGE=prod
        env = PROD=1
        endif
        if-env = STAGE=dev
        env = DEV=1
        endif
        if-env = EMPTY
        env = EMPTY=1
        endif
        if-not-env = MISSING
        env = NO_MISSING=1
        endif

        """
        #expect(box.values(ini: body, "env") == ["HAS_STAGE=1", "PROD=1", "NO_MISSING=1"])
    }

    @Test func fileConditions() {
        let box = Sandbox()
        box.write("present.txt", "x")
        box.write("dir/inside.txt", "x")
        let body = """
        if-exists = present.txt
        env = A=1
        endif
        if-not-exists = absent.txt
        env = B=1
        endif
        if-file = dir
        env = C=1
        endif
        if-dir = dir
        env = D=1
        endif
        if-file = %d/present.txt
        env = E=1
        endif

        """
        #expect(box.values(ini: body, "env") == ["A=1", "B=1", "D=1", "E=1"])
    }

    @Test func ifOptLooksAtOptionsSetSoFar() {
        let box = Sandbox()
        let body = "workers = 4\nif-opt = processes\nenv = A=1\nendif\nif-opt = processes=4\nenv = B=1\nendif\nif-opt = threads\nenv = C=1\nendif\n"
        #expect(box.values(ini: body, "env") == ["A=1", "B=1"])
    }

    @Test func unterminatedNestedAndStrayBlocks() {
        let box = Sandbox()
        #expect(box.errors(ini: "master = true\nif-env = HOME\nprocesses = 2\n") == ["app.ini:3: \"if-env\" block is never closed (missing \"endif\")"])
        #expect(box.errors(ini: "for = a\nenv = A=1\n") == ["app.ini:2: \"for\" block is never closed (missing \"endfor\")"])
        #expect(box.errors(ini: "endif\n") == ["app.ini:2: \"endif\" without an open block"])
        #expect(box.errors(ini: "if-env = A\nif-env = B\nendif\nendif\n") == [
            "app.ini:3: \"if-env\" inside a \"if-env\" block (blocks do not nest)",
        ])
    }

    @Test func blocksWorkInYamlAndOnTheCommandLine() {
        let box = Sandbox(environment: ["ON": "1"])
        box.write("app.yaml", "uwsgi:\n  if-env: ON\n  env: A=1\n  endif:\n  if-env: OFF\n  env: B=1\n  endif:\n")
        #expect(box.load(["app.yaml"]).config?.list("env") == ["A=1"])
        #expect(box.load(["--if-env", "ON", "--env", "C=1", "--endif", "--if-env", "OFF", "--env", "D=1", "--endif"]).config?.list("env") == ["C=1"])
    }
}
