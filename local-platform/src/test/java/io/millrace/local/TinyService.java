package io.millrace.local;

import java.util.concurrent.CountDownLatch;

/**
 * A tiny process for the supervisor's tests: with no argument it runs until it is stopped
 * or killed; with one it exits at once with that code.
 */
public final class TinyService {

	private TinyService() {
	}

	public static void main(String[] args) throws InterruptedException {
		if (args.length > 0) {
			System.out.println("tiny service exits with code " + args[0]);
			System.exit(Integer.parseInt(args[0]));
		}
		System.out.println("tiny service up");
		new CountDownLatch(1).await();
	}

}
