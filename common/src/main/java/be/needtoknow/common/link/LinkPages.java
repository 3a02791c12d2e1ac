package be.needtoknow.common.link;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/**
 * The links handed to parents and pupils answer a page to a person and JSON to a platform, from one
 * address: the caller's Accept header decides.
 */
public final class LinkPages {

    private LinkPages() {
    }

    /**
     * Whether the caller prefers a page: a browser (text/html listed before any wildcard or JSON)
     * does; {@code application/json} and curl's {@code *}{@code /*} get JSON.
     */
    public static boolean pageWanted(HttpHeaders headers) {
        for (MediaType type : headers.getAcceptableMediaTypes()) {
            if (type.isCompatible(MediaType.TEXT_HTML_TYPE) && !type.isWildcardType() && !type.isWildcardSubtype()) {
                return true;
            }
            if (type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                return false;
            }
        }
        return false;
    }
}
