package io.millrace.lakehouse.storage;

import java.util.Iterator;

import io.delta.kernel.utils.CloseableIterator;

/**
 * Kernel takes and gives {@link CloseableIterator}s; its own adapter from a plain
 * iterator is internal API, so this is ours.
 */
public final class CloseableIterators {

	private CloseableIterators() {
	}

	/**
	 * @param <T> the element type
	 * @param iterator an iterator over what is already in memory
	 * @return the same elements; closing it releases nothing
	 */
	public static <T> CloseableIterator<T> of(Iterator<T> iterator) {
		return new CloseableIterator<>() {

			@Override
			public boolean hasNext() {
				return iterator.hasNext();
			}

			@Override
			public T next() {
				return iterator.next();
			}

			@Override
			public void close() {
			}

		};
	}

}
