import Netsukuku
import PlanModel
import Testing

/// Address schemes as data (domain.md §2.1) and addresses with real and virtual ids.
@Suite struct SchemeTests {
    @Test("4·2·2·2 has offsets 0 1 2 3, five address bits and the documented ranges")
    func pointOfConcept() throws {
        let scheme = try AddressScheme(gsizes: [2, 2, 2, 4])
        #expect(scheme == .pointOfConcept)
        #expect(scheme.description == "4·2·2·2")
        #expect(scheme.offsets == [0, 1, 2, 3])
        #expect(scheme.addressBits == 5)
        let mapping = IPMapping(scheme: scheme)
        #expect(mapping.globalRange.withLength == "10.0.0.0/27")
        #expect(mapping.anonymousRange.withLength == "10.0.0.64/27")
        #expect(mapping.internalRange.withLength == "10.0.0.32/27")
        #expect(
            (1...3).map { mapping.internalRange(level: $0).withLength } == [
                "10.0.0.40/31", "10.0.0.48/30", "10.0.0.56/29",
            ])
    }

    @Test("every broken rule is reported at once, with its reason")
    func refusals() {
        #expect(throws: SchemeError.self) { try AddressScheme(gsizes: [2]) }
        let many = AddressScheme.problems(gsizes: [3, 1, 2])
        #expect(
            many == [
                "gsize 3 at level 0 is not a power of two of at least 2",
                "gsize 1 at level 1 is not a power of two of at least 2",
                "the top level has gsize 2, fewer than the 3 levels; internal addresses store the level number in "
                    + "the top level's bits",
            ])
        #expect(
            AddressScheme.problems(gsizes: [256, 256, 256, 8])
                == ["the addresses need 27 bits; at most 22 fit in 10.0.0.0/8 beside the two type bits"])
        #expect(
            AddressScheme.problems(gsizes: [2, 2, 2, 2, 2, 2, 8]).first
                == "it has 7 levels; the mapping supports 2 to 6")
        do {
            _ = try AddressScheme(gsizes: [4, 4, 2])
            Issue.record("a 3-level scheme with top gsize 2 was accepted")
        } catch {
            #expect(
                error.description
                    == "the address scheme 2·4·4 cannot be used: the top level has gsize 2, fewer than the 3 levels; "
                    + "internal addresses store the level number in the top level's bits")
        }
    }

    @Test("other schemes map with the general rule: 8·4·16 and a 6-level scheme")
    func otherSchemes() throws {
        let wide = IPMapping(scheme: try AddressScheme(gsizes: [16, 4, 8]))
        let address = try #require(NetsukukuAddress("5·3·9"))
        // 9 + 3·16 + 5·64 = 377 → 10.0.1.121; anon sets bit 10; internal-L2 sets bit 9, level 2 in bits 6–8.
        #expect(wide.globalIP(of: address)?.description == "10.0.1.121")
        #expect(wide.anonymousIP(of: address)?.description == "10.0.5.121")
        #expect(wide.internalIP(of: address, level: 2)?.description == "10.0.2.185")
        #expect(wide.localhost.description == "10.0.2.0")
        #expect(wide.prefixes(of: address).count == 7 * 2 + 3 * 3 + 15 * 4)
        let deep = IPMapping(scheme: try AddressScheme(gsizes: [2, 2, 2, 2, 2, 8]))
        let node = NetsukukuAddress(ids: [1, 0, 1, 0, 1, 7])
        #expect(deep.globalIP(of: node)?.description == "10.0.0.245")
        #expect(deep.ownAddresses(of: node).count == 7)
    }

    @Test("addresses parse with middle dots or dots; g-nodes end with a separator")
    func parsing() throws {
        let address = try #require(NetsukukuAddress("3·1·0·1"))
        #expect(address.ids == [1, 0, 1, 3])
        #expect(NetsukukuAddress("3.1.0.1") == address)
        #expect(address.description == "3·1·0·1")
        #expect(address.dotted == "3.1.0.1")
        #expect(NetsukukuAddress("3·1·") == nil)
        #expect(NetsukukuAddress("3·x·0") == nil)
        #expect(NetsukukuAddress("") == nil)
        let gnode = try #require(GNodeAddress("2·1·", levels: 4))
        #expect(gnode.level == 2)
        #expect(gnode.description == "2·1·")
        #expect(gnode.contains(try #require(NetsukukuAddress("2·1·0·1"))))
        #expect(!gnode.contains(try #require(NetsukukuAddress("2·0·0·1"))))
        #expect(GNodeAddress("2·1·1·0", levels: 4)?.level == 0)
        #expect(GNodeAddress("2·1·1", levels: 4) == nil)
        #expect(gnode.address(keepingLowerLevelsOf: address).description == "2·1·0·1")
        let scheme = AddressScheme.pointOfConcept
        #expect(try #require(NetsukukuAddress("2·1·1·3")).lowestVirtualLevel(in: scheme) == 0)
        #expect(try #require(NetsukukuAddress("2·2·1·0")).lowestVirtualLevel(in: scheme) == 2)
        #expect(address.distinctLevel(from: try #require(NetsukukuAddress("3·1·1·0"))) == 1)
    }
}
