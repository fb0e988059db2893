/// The version printed by `liege --version` and `%V`.
public enum LiegeVersion {
    public static let string = "0.1.0"
}
