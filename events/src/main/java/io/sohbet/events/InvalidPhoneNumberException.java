package io.sohbet.events;

/** A phone number that cannot be normalised to a valid E.164 number. The message never contains the number. */
public class InvalidPhoneNumberException extends IllegalArgumentException {

    public InvalidPhoneNumberException(String reason) {
        super("invalid phone number: " + reason);
    }
}
