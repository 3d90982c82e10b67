import Testing
import VCDCore

/// xs:dateTime as vCD prints and reads it (reference §1.6).
@Suite struct TimestampTests {
    // MARK: Formatting

    @Test func epochFormatsAsUTCWithMillisecondsAndZ() {
        #expect(Timestamp(milliseconds: 0).iso8601 == "1970-01-01T00:00:00.000Z")
    }

    @Test func formatsDateAndTimeOfDay() {
        #expect(Timestamp(milliseconds: 1_714_557_600_000).iso8601 == "2024-05-01T10:00:00.000Z")
    }

    @Test func millisecondsArePaddedToThreeDigits() {
        #expect(Timestamp(milliseconds: 1_714_557_600_007).iso8601 == "2024-05-01T10:00:00.007Z")
        #expect(Timestamp(milliseconds: 1_714_557_600_070).iso8601 == "2024-05-01T10:00:00.070Z")
    }

    @Test func descriptionIsTheISO8601Text() {
        #expect(Timestamp(milliseconds: 1_328_591_788_450).description == "2012-02-07T05:16:28.450Z")
    }

    // MARK: Parsing

    @Test func parsesUTCWithMilliseconds() {
        #expect(Timestamp(iso8601: "2024-05-01T10:00:00.000Z")?.milliseconds == 1_714_557_600_000)
    }

    @Test func parsesNegativeOffsetAsInVCDSamples() {
        // 2012-02-07T00:16:28.450-05:00 is 05:16:28.450 UTC.
        #expect(Timestamp(iso8601: "2012-02-07T00:16:28.450-05:00")?.milliseconds == 1_328_591_788_450)
    }

    @Test func parsesPositiveOffsetAsInVCDSamples() {
        // 2013-04-01T11:17:51.600+03:00 is 08:17:51.600 UTC.
        #expect(Timestamp(iso8601: "2013-04-01T11:17:51.600+03:00")?.milliseconds == 1_364_804_271_600)
    }

    @Test func parsesOffsetWithoutColon() {
        #expect(Timestamp(iso8601: "2013-04-01T11:17:51.600+0300")?.milliseconds == 1_364_804_271_600)
    }

    @Test func parsesTimeWithoutFraction() {
        #expect(Timestamp(iso8601: "2024-05-01T10:00:00Z")?.milliseconds == 1_714_557_600_000)
    }

    @Test func parsesTimeWithoutZoneAsUTC() {
        #expect(Timestamp(iso8601: "2024-05-01T10:00:00")?.milliseconds == 1_714_557_600_000)
    }

    @Test func shortFractionsAreTenthsAndHundredths() {
        #expect(Timestamp(iso8601: "2024-05-01T10:00:00.5Z")?.milliseconds == 1_714_557_600_500)
        #expect(Timestamp(iso8601: "2024-05-01T10:00:00.25Z")?.milliseconds == 1_714_557_600_250)
    }

    @Test func fractionDigitsBeyondMillisecondsAreTruncated() {
        #expect(Timestamp(iso8601: "2024-05-01T10:00:00.123987Z")?.milliseconds == 1_714_557_600_123)
    }

    @Test(arguments: [
        "",
        "yesterday",
        "2024-05-01",
        "2024-05-01T10:00",
        "2024/05/01T10:00:00Z",
        "2024-13-01T10:00:00Z",
        "2024-00-01T10:00:00Z",
        "2024-05-00T10:00:00Z",
        "2024-05-32T10:00:00Z",
        "2024-05-01T10:60:00Z",
        "2024-05-01T10:00:00.Z",
        "2024-05-01T10:00:00ZZ",
        "2024-05-01T10:00:00Z junk",
        "2024-05-01T10:00:00+5",
        "2024-05-01T10:00:00 UTC",
        "2024-O5-01T10:00:00Z",
    ])
    func rejectsGarbage(_ text: String) {
        #expect(Timestamp(iso8601: text) == nil)
    }

    @Test(arguments: ["2023-02-29T00:00:00Z", "2024-02-30T00:00:00Z", "2024-04-31T00:00:00Z"])
    func rejectsDayBeyondTheEndOfItsMonth(_ text: String) {
        #expect(Timestamp(iso8601: text) == nil)
    }

    @Test func acceptsTheLeapDayOfALeapYear() {
        #expect(Timestamp(iso8601: "2024-02-29T00:00:00.000Z")?.iso8601 == "2024-02-29T00:00:00.000Z")
    }

    // MARK: Round trip

    @Test(arguments: [Int64(0), 1, 999, 1_714_557_600_123, 951_782_400_000, 4_102_444_799_999, -1, -14_182_940_000, -2_208_988_800_001])
    func formattingThenParsingGivesTheSameInstant(_ ms: Int64) {
        let t = Timestamp(milliseconds: ms)
        #expect(Timestamp(iso8601: t.iso8601) == t)
    }

    @Test func parsingThenFormattingNormalisesToUTC() {
        #expect(Timestamp(iso8601: "2012-10-25T23:30:00.100-02:00")?.iso8601 == "2012-10-26T01:30:00.100Z")
    }

    // MARK: Task expiry arithmetic (startTime + 90 days, §1.6)

    @Test(arguments: [
        ("2012-02-07T00:16:28.450Z", "2012-05-07T00:16:28.450Z"),  // across months, leap February
        ("2012-10-25T12:00:00.000Z", "2013-01-23T12:00:00.000Z"),  // across a year end
        ("2013-02-14T08:00:00.000Z", "2013-05-15T08:00:00.000Z"),  // common-year February
        ("2024-01-01T00:00:00.000Z", "2024-03-31T00:00:00.000Z"),  // leap year: 29 February counts
        ("2023-01-01T00:00:00.000Z", "2023-04-01T00:00:00.000Z"),  // common year
        ("2023-12-15T23:59:59.999Z", "2024-03-14T23:59:59.999Z"),  // year end and leap February
    ])
    func ninetyDaysLater(_ start: String, _ expected: String) throws {
        let t = try #require(Timestamp(iso8601: start))
        #expect(t.adding(days: 90).iso8601 == expected)
    }

    @Test func addingMillisecondsMovesTheInstant() {
        #expect(Timestamp(milliseconds: 1_000).adding(milliseconds: -1).iso8601 == "1970-01-01T00:00:00.999Z")
    }

    // MARK: Before 1970

    @Test func oneMillisecondBeforeTheEpoch() {
        #expect(Timestamp(milliseconds: -1).iso8601 == "1969-12-31T23:59:59.999Z")
    }

    @Test func formatsTheMoonLanding() {
        #expect(Timestamp(milliseconds: -14_182_940_000).iso8601 == "1969-07-20T20:17:40.000Z")
    }

    @Test func parsesDatesBeforeTheEpoch() {
        #expect(Timestamp(iso8601: "1900-01-01T00:00:00.000Z")?.milliseconds == -2_208_988_800_000)
    }

    @Test func ninetyDaysAcrossTheEpoch() throws {
        let t = try #require(Timestamp(iso8601: "1969-11-15T06:00:00.000Z"))
        #expect(t.adding(days: 90).iso8601 == "1970-02-13T06:00:00.000Z")
    }

    @Test func ordersByInstant() {
        #expect(Timestamp(milliseconds: -5) < Timestamp(milliseconds: 3))
        #expect(!(Timestamp(milliseconds: 3) < Timestamp(milliseconds: 3)))
    }
}
