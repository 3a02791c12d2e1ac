package be.needtoknow.referrals.referral;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A referral's item list as it is stored (JSON), and its hash, to which consent is bound (T2). */
@ApplicationScoped
class ItemLists {

    private static final TypeReference<List<Item>> ITEMS = new TypeReference<>() {
    };

    @Inject
    ObjectMapper json;

    String write(List<Item> items) {
        try {
            return json.writerFor(ITEMS).writeValueAsString(items);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    List<Item> read(String items) {
        try {
            return json.readValue(items, ITEMS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
